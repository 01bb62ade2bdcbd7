// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsPinStore.h"

#include <sqlite3.h>

namespace chattermesh::core {

std::optional<QString> TlsPinStore::pinned(const QString &endpoint)
{
    if (!m_db.isOpen())
        return std::nullopt;
    auto &q = m_db.prepared("SELECT spki_sha256 FROM tls_pins WHERE endpoint = ?");
    q.bind(1, endpoint);
    std::optional<QString> found;
    if (q.step())
        found = q.text(0);
    q.reset();
    return found;
}

bool TlsPinStore::pin(const QString &endpoint, const QString &spkiSha256)
{
    if (!m_db.isOpen())
        return false;
    // OR IGNORE: a pin, once there, is never overwritten by this path.
    auto &q
        = m_db.prepared("INSERT OR IGNORE INTO tls_pins(endpoint, spki_sha256, pinned_ms) VALUES(?, ?, ?)");
    q.bind(1, endpoint).bind(2, spkiSha256).bind(3, m_nowMs());
    return q.exec() == SQLITE_DONE;
}

StoreResult<Unit> TlsPinStore::forget(const QString &endpoint)
{
    auto &q = m_db.prepared("DELETE FROM tls_pins WHERE endpoint = ?");
    q.bind(1, endpoint);
    if (q.exec() != SQLITE_DONE)
        return m_db.failure("forget TLS pin");
    return Unit {};
}

} // namespace chattermesh::core

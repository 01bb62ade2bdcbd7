// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqlKeyStore.h"

#include <sqlite3.h>

namespace chattermesh::core {

std::optional<QByteArray> SqlKeyStore::load(Kind kind, const QByteArray &key)
{
    auto &q = m_db.prepared("SELECT value FROM crypto_kv WHERE kind = ? AND key = ?");
    q.bind(1, qint64(kind)).bind(2, key);
    if (q.step())
        return q.blob(0);
    return std::nullopt;
}

bool SqlKeyStore::store(Kind kind, const QByteArray &key, const QByteArray &value)
{
    auto &q = m_db.prepared("INSERT OR REPLACE INTO crypto_kv(kind, key, value) VALUES(?, ?, ?)");
    return q.bind(1, qint64(kind)).bind(2, key).bind(3, value).exec() == SQLITE_DONE;
}

bool SqlKeyStore::remove(Kind kind, const QByteArray &key)
{
    auto &q = m_db.prepared("DELETE FROM crypto_kv WHERE kind = ? AND key = ?");
    return q.bind(1, qint64(kind)).bind(2, key).exec() == SQLITE_DONE;
}

QList<QByteArray> SqlKeyStore::keysWithPrefix(Kind kind, const QByteArray &prefix)
{
    // A range scan on the primary key: [prefix, prefix + 0xff…) without LIKE's escaping rules.
    auto &q
        = m_db.prepared("SELECT key FROM crypto_kv WHERE kind = ? AND key >= ? AND substr(key, 1, ?) = ?");
    q.bind(1, qint64(kind)).bind(2, prefix).bind(3, qint64(prefix.size())).bind(4, prefix);
    QList<QByteArray> out;
    while (q.step())
        out.append(q.blob(0));
    return out;
}

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CertificatePins.h"
#include "SqlDatabase.h"

#include <functional>

namespace chattermesh::core {

// The pinned server keys, in the engine's encrypted store (table tls_pins): one row per
// "host:port", written on the first verified connection and only removed by forget().
class TlsPinStore : public sync::CertificatePins {
public:
    TlsPinStore(SqlDatabase &db, std::function<qint64()> nowMs) : m_db(db), m_nowMs(std::move(nowMs)) { }

    std::optional<QString> pinned(const QString &endpoint) override;
    bool pin(const QString &endpoint, const QString &spkiSha256) override;
    StoreResult<Unit> forget(const QString &endpoint);

private:
    SqlDatabase &m_db;
    std::function<qint64()> m_nowMs;
};

} // namespace chattermesh::core

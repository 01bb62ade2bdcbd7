// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetReply.h"
#include "Result.h"

#include <QByteArray>
#include <QHash>

namespace chattermesh::server {

class AssetDatabase;

// Who is asking: the user and device the bearer token belongs to.
struct AssetCaller {
    quint64 userId = 0;
    quint64 deviceId = 0;
};

// `Authorization: Bearer <token>` → the device session it belongs to, looked up by the token's
// SHA-256 like Resume does. Positive answers are cached for kCacheMs (never past the token's
// expiry), so a removed device's token can keep working over HTTP for up to that long; misses are
// never cached. The token itself is neither kept nor logged.
class AssetAuthenticator {
public:
    static constexpr qint64 kCacheMs = 30000;
    static constexpr int kCacheMax = 10000;

    explicit AssetAuthenticator(AssetDatabase &database);

    Result<AssetCaller, AssetError> authenticate(const QByteArray &authorization, qint64 nowMs);

private:
    struct Cached {
        AssetCaller caller;
        qint64 validUntilMs = 0;
    };

    AssetDatabase &m_database;
    QHash<QByteArray, Cached> m_cache; // by token hash
};

} // namespace chattermesh::server

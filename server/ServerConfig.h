// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FaultSpec.h"
#include "StoreTypes.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>
#include <algorithm>

namespace chattermesh::server {

// Everything the command line decides; plain data handed to the server at start.
struct ServerConfig {
    QHostAddress listenAddress { QHostAddress::LocalHost };
    quint16 listenPort = 0;
    QString dataDir;
    QString logLevel = QStringLiteral("info");
    QString logFormat = QStringLiteral("text"); // text or json (one object per line)
    // When set, GET /metrics needs "Authorization: Bearer <this>"; /healthz and /readyz stay open.
    QByteArray metricsToken;
    qint64 maxFrameBytes = 1048576;
    qint64 maxPayloadBytes = 262144;
    int syncBatch = 500;
    // One SyncBatch: syncBatch entries at most, and never a frame over the limit this server
    // announces or the one every client accepts (500 entries at the payload limit are 128 MiB).
    qint64 syncBatchBytes() const { return std::min(maxFrameBytes, proto::kClientFrameBytes); }
    PageBound syncPage() const { return PageBound { syncBatch, syncBatchBytes() - kFrameHeadroom }; }
    static constexpr qint64 kFrameHeadroom = 256; // the Frame and SyncBatch around the entries
    // One mailbox entry: its payload (or device ciphertext) and a key distribution, each up to
    // maxPayloadBytes, and this much for everything else, even with the longest names.
    static constexpr qint64 kEntryHeadroom = 4096;
    qint64 tokenTtlSeconds = 2592000;
    int kdfIterations = 200000;
    int heartbeatSeconds = 15;
    int maxGroupMembers = 1024;
    double typingRate = 1.0; // Typing frames per second per (user, conversation), refilled
    int typingBurst = 5; // ... up to this many at once
    int typingMaxTypists = 16; // typists forwarded at once per conversation; 0: no bound
    // Limits (docs/operations.md, *Limits*). 0 turns a limit off.
    int maxConnections = 20000; // open WebSockets; one more is closed with 1013
    int sendRatePerMinute = 240; // Send frames per user, refilled ...
    int sendBurst = 60; // ... into a bucket this big
    int loginFreeAttempts = 5; // failed Logins per account before lockouts begin
    int loginFreeAttemptsPerAddress = 20; // ... per client address
    int loginLockoutSeconds = 1; // the first lockout; each further failure doubles it ...
    int loginLockoutMaxSeconds = 900; // ... up to this
    int helloTimeoutSeconds = 10; // from TCP accept to the WebSocket upgrade, and from there to Hello
    int authTimeoutSeconds = 30; // from the WebSocket opening to a session
    qint64 maxOutboundBytes = qint64(8) << 20; // unsent bytes per connection before it is cut; 0: no bound
    int idleTimeoutSeconds = 0; // no frame from the client for this long; 0: 3 x heartbeatSeconds
    int networkThreads = 1; // threads serving sockets (the option's default: min(4, cores))
    // The asset service (docs/media.md): its port on listenAddress (0: any free port), the largest
    // declared size per kind, the chunk size, and the clean-up sweep.
    quint16 assetPort = 0;
    qint64 assetMaxImageBytes = qint64(16) << 20;
    qint64 assetMaxVideoBytes = qint64(100) << 20;
    qint64 assetMaxVoiceBytes = qint64(10) << 20;
    qint64 assetMaxFileBytes = qint64(100) << 20;
    qint64 assetChunkBytes = qint64(1024) << 10;
    int assetSweepSeconds = 3600;
    qint64 assetUploadTtlHours = 24; // unfinished uploads idle this long are deleted
    qint64 assetUnreferencedHours = 24; // finished assets no Send named within this are deleted
    qint64 assetRetentionDays = 30; // every asset older than this is deleted
    // TLS (docs/operations.md, *TLS*): PEM files, both or neither. With them the WebSocket port
    // serves wss:// and the asset port https://. Without them only a loopback --listen address is
    // allowed, unless insecure.
    QString tlsCertFile;
    QString tlsKeyFile;
    bool insecure = false;
    // Fault injection for tests (docs/operations.md): off unless --faults is given. Seed 0: the
    // server picks one at start and logs it.
    FaultSpec faults;
    quint64 faultsSeed = 0;
};

} // namespace chattermesh::server

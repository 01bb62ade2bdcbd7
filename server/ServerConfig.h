// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QString>

namespace chattermesh::server {

// Everything the command line decides; plain data handed to the server at start.
struct ServerConfig {
    QHostAddress listenAddress { QHostAddress::LocalHost };
    quint16 listenPort = 0;
    QString dataDir;
    QString logLevel = QStringLiteral("info");
    qint64 maxFrameBytes = 1048576;
    qint64 maxPayloadBytes = 262144;
    int syncBatch = 500;
    qint64 tokenTtlSeconds = 2592000;
    int kdfIterations = 200000;
    int heartbeatSeconds = 15;
    int maxGroupMembers = 1024;
    double typingRate = 1.0; // Typing frames per second per (user, conversation), refilled
    int typingBurst = 5; // ... up to this many at once
    int typingMaxTypists = 16; // typists forwarded at once per conversation; 0: no bound
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace chattermesh::server {

// One row of the assets table (docs/media.md). Times are epoch milliseconds; 0 means "not yet".
struct AssetRecord {
    QString id; // 32 lowercase hex digits
    quint64 ownerUser = 0;
    quint64 ownerDevice = 0;
    QString kind; // image, video, voice or file
    qint64 size = 0; // declared ciphertext bytes
    qint64 received = 0; // bytes stored so far: the next PUT's offset
    QByteArray digest; // SHA-256, set by finish
    qint64 createdMs = 0;
    qint64 activeMs = 0; // last create, PUT or finish
    qint64 finishedMs = 0;
    qint64 referencedMs = 0; // first Send naming it
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <optional>

namespace chattermesh::crypto {

struct SignedPreKeyPublic {
    quint32 id = 0;
    QByteArray publicKey; // serialized, 33 bytes
    QByteArray signature; // by the identity key over publicKey
    qint64 createdMs = 0;
};

struct OneTimePreKeyPublic {
    quint32 id = 0;
    QByteArray publicKey;
};

// What the server stores per device and hands out to anyone starting a session with it.
struct PreKeyBundle {
    quint32 registrationId = 0;
    qint32 deviceId = 0;
    QByteArray identityKey;
    SignedPreKeyPublic signedPreKey;
    std::optional<OneTimePreKeyPublic> oneTimePreKey; // absent once the stock ran out
};

} // namespace chattermesh::crypto

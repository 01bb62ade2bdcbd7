// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CryptoError.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace chattermesh::crypto {

// What two users compare to verify each other: 60 digits, identical on both sides (libsignal's
// numeric fingerprint, 5200 SHA-512 iterations, "version 2" style), and a QR payload carrying the
// scannable fingerprint.
struct SafetyNumber {
    QString digits;
    QByteArray qrPayload;
};

// Identities are serialized public keys (33 bytes). The names are the stable identifiers mixed
// into the digits; both sides must use the same spelling.
CryptoResult<SafetyNumber> safetyNumber(const QString &localName, const QByteArray &localIdentity,
    const QString &remoteName, const QByteArray &remoteIdentity);
// For users with several devices, each with its own identity key: the keys of each side are
// sorted and combined, so the order of the lists does not matter.
CryptoResult<SafetyNumber> safetyNumber(const QString &localName, const QList<QByteArray> &localIdentities,
    const QString &remoteName, const QList<QByteArray> &remoteIdentities);
// True when a payload scanned from the peer's screen matches ours.
bool compareQrPayload(const SafetyNumber &mine, const QByteArray &scanned);

} // namespace chattermesh::crypto

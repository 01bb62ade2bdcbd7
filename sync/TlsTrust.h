// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>
#include <QUrl>

namespace chattermesh::sync {

// Why a connection refused a server before saying anything to it. None of these heal by
// retrying, so the connection stops and says so instead of reconnecting (docs/operations.md, *TLS*).
enum class TlsError {
    CaFileInvalid, // the extra CA file cannot be read or holds no certificate
    NotTrusted, // the certificate did not verify (unknown CA, wrong name, expired...)
    CertificateChanged, // verified, but its key is not the one pinned on first use
    PlainTextRefused, // ws:// to a host that is not loopback, without allowPlainText
};

// The client side of TLS trust: which CAs verify the server, and the key fingerprint that is pinned.
class TlsTrust {
public:
    // The system's CAs plus those in caFile (PEM, one or more; empty: none), with peer
    // verification on. Built once per connection, not per attempt.
    static Result<QSslConfiguration, TlsError> configuration(const QString &caFile);
    // Hex SHA-256 of the certificate's SubjectPublicKeyInfo: what HPKP and most pinning schemes
    // use, and it survives a renewal that keeps the key.
    static QString spkiSha256(const QSslCertificate &certificate);
    // "host:port" of a ws/wss/http/https URL, with the scheme's default port filled in.
    static QString endpoint(const QUrl &url);
    static bool isLoopback(const QUrl &url);
    // "TLS_NOT_TRUSTED", ...: for logs and the CLI's error lines.
    static QString errorName(TlsError error);
    // "certificate not trusted: <Qt's reasons>"
    static QString describe(const QList<QSslError> &errors);
};

} // namespace chattermesh::sync

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "ServerConfig.h"

#include <QSslConfiguration>
#include <optional>

namespace chattermesh::server {

enum class TlsSetupError {
    CertificateUnreadable, // missing file, no permission
    CertificateInvalid, // not PEM, not a certificate, expired or not yet valid
    KeyUnreadable,
    KeyInvalid, // not a PEM private key (or encrypted with a passphrase, which we do not take)
    KeyMismatch, // the key is not the one the certificate was issued for
};

// The server side of TLS, set up once from --tls-cert and --tls-key: loads and checks the files
// before anything listens, so a bad file stops the server at start with a message saying which
// file and why, not at the first client's handshake. Pure functions: safe on any thread.
class TlsSetup {
public:
    // The certificate file may hold a chain (the server's certificate first, then intermediates).
    static Result<QSslConfiguration, TlsSetupError> load(const QString &certFile, const QString &keyFile);
    // Both or neither; on a bad file: the text for the operator.
    static Result<std::optional<QSslConfiguration>, TlsSetupError> fromConfig(const ServerConfig &config);
    // Listening beyond loopback in plain text exposes passwords and tokens: refused unless
    // --insecure. The text names the address and the two ways out.
    static std::optional<QString> plainTextRefusal(const ServerConfig &config);
    // Hex SHA-256 of a certificate's public key (SubjectPublicKeyInfo), as clients pin it.
    static QString spkiSha256(const QSslCertificate &certificate);
};

} // namespace chattermesh::server

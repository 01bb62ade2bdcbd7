// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

namespace chattermesh::sync {

// Where a client keeps the servers' pinned keys (trust on first use). The connection only asks
// and tells; the engine keeps them in its encrypted store (core/TlsPinStore), so a pin survives
// restarts and cannot be swapped by whoever can write the user's files but not read the store.
class CertificatePins {
public:
    virtual ~CertificatePins() = default;
    // The hex SHA-256 of the public key (SubjectPublicKeyInfo) pinned for "host:port", if any.
    virtual std::optional<QString> pinned(const QString &endpoint) = 0;
    // Remembers the first key seen; false if it could not be stored (the connection goes on: the
    // certificate was verified, only the pin is missing, and the next connection pins again).
    virtual bool pin(const QString &endpoint, const QString &spkiSha256) = 0;
};

} // namespace chattermesh::sync

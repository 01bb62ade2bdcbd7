// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <optional>

namespace chattermesh::server {

// PBKDF2-HMAC-SHA256 password hashing. Every function is slow on purpose and thread-safe: callers
// run them on a pool thread, never on the network or writer thread.
class PasswordHasher {
public:
    static constexpr int kSaltBytes = 16;
    static constexpr int kHashBytes = 32;

    struct Hashed {
        QByteArray salt;
        QByteArray hash;
        int iterations = 0;
    };

    // A fresh random salt; nullopt if the RNG or the KDF fails.
    static std::optional<Hashed> hash(const QByteArray &password, int iterations);
    static bool verify(
        const QByteArray &password, const QByteArray &salt, const QByteArray &expected, int iterations);
    // Same cost as verify() and always false: used for unknown users so timing does not tell.
    static bool verifyDummy(const QByteArray &password, int iterations);

private:
    static std::optional<QByteArray> derive(
        const QByteArray &password, const QByteArray &salt, int iterations);
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "PasswordHasher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace chattermesh::server {

std::optional<QByteArray> PasswordHasher::derive(
    const QByteArray &password, const QByteArray &salt, int iterations)
{
    QByteArray out(kHashBytes, Qt::Uninitialized);
    if (PKCS5_PBKDF2_HMAC(password.constData(), int(password.size()),
            reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()), iterations,
            EVP_sha256(), kHashBytes, reinterpret_cast<unsigned char *>(out.data()))
        != 1)
        return std::nullopt;
    return out;
}

std::optional<PasswordHasher::Hashed> PasswordHasher::hash(const QByteArray &password, int iterations)
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), kSaltBytes) != 1)
        return std::nullopt;
    auto derived = derive(password, salt, iterations);
    if (!derived)
        return std::nullopt;
    return Hashed { salt, *derived, iterations };
}

bool PasswordHasher::verify(
    const QByteArray &password, const QByteArray &salt, const QByteArray &expected, int iterations)
{
    if (iterations <= 0)
        return false;
    const auto derived = derive(password, salt, iterations);
    return derived && derived->size() == expected.size()
        && CRYPTO_memcmp(derived->constData(), expected.constData(), size_t(expected.size())) == 0;
}

bool PasswordHasher::verifyDummy(const QByteArray &password, int iterations)
{
    static const QByteArray salt(kSaltBytes, '\x5a');
    static const QByteArray impossible(kHashBytes, '\0');
    // Runs the full KDF and comparison; the result is discarded so no password ever matches.
    [[maybe_unused]] const bool ignored = verify(password, salt, impossible, iterations);
    return false;
}

} // namespace chattermesh::server

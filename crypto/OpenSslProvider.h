// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/ (and its provider test).
#pragma once

#include "CryptoError.h"

#include <array>
#include <memory>
#include <signal/signal_protocol.h>

typedef struct evp_mac_st EVP_MAC;
typedef struct evp_mac_ctx_st EVP_MAC_CTX;
typedef struct evp_md_st EVP_MD;
typedef struct evp_cipher_st EVP_CIPHER;

namespace chattermesh::crypto {

// libsignal's signal_crypto_provider over OpenSSL 3 (EVP / EVP_MAC). Algorithms are fetched once
// here: an implicit fetch on every call costs more than the AES block work of a small message.
// The object must outlive every signal_context that uses its table().
class OpenSslProvider {
public:
    static CryptoResult<std::unique_ptr<OpenSslProvider>> create();
    ~OpenSslProvider();
    OpenSslProvider(const OpenSslProvider &) = delete;
    OpenSslProvider &operator=(const OpenSslProvider &) = delete;

    // The callback table; user_data points at this object.
    signal_crypto_provider table();

private:
    OpenSslProvider() = default;
    const EVP_CIPHER *cipherFor(int mode, size_t keyLen) const;

    static int random(uint8_t *data, size_t len, void *user);
    static int hmacInit(void **context, const uint8_t *key, size_t keyLen, void *user);
    static int hmacUpdate(void *context, const uint8_t *data, size_t len, void *user);
    static int hmacFinal(void *context, signal_buffer **output, void *user);
    static void hmacCleanup(void *context, void *user);
    static int sha512Init(void **context, void *user);
    static int sha512Update(void *context, const uint8_t *data, size_t len, void *user);
    static int sha512Final(void *context, signal_buffer **output, void *user);
    static void sha512Cleanup(void *context, void *user);
    static int encrypt(signal_buffer **output, int mode, const uint8_t *key, size_t keyLen, const uint8_t *iv,
        size_t ivLen, const uint8_t *plaintext, size_t len, void *user);
    static int decrypt(signal_buffer **output, int mode, const uint8_t *key, size_t keyLen, const uint8_t *iv,
        size_t ivLen, const uint8_t *ciphertext, size_t len, void *user);

    EVP_MAC *m_hmac = nullptr;
    EVP_MAC_CTX *m_hmacTemplate = nullptr; // digest already set: each init only duplicates it
    EVP_MD *m_sha512 = nullptr;
    std::array<EVP_CIPHER *, 3> m_cbc {}; // AES-128, -192, -256
    std::array<EVP_CIPHER *, 3> m_ctr {};
};

} // namespace chattermesh::crypto

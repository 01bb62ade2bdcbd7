// SPDX-License-Identifier: GPL-3.0-or-later
#include "OpenSslProvider.h"

#include "SignalError.h"
#include "SignalPtr.h"

#include <climits>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace chattermesh::crypto {

namespace {

constexpr int kFailed = SG_ERR_UNKNOWN;
constexpr size_t kAesBlock = 16;
// Leaves room for the padding block so that int arithmetic in EVP never overflows.
constexpr size_t kMaxLen = size_t(INT_MAX) - 2 * kAesBlock;

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

OpenSslProvider *self(void *user)
{
    return static_cast<OpenSslProvider *>(user);
}

} // namespace

CryptoResult<std::unique_ptr<OpenSslProvider>> OpenSslProvider::create()
{
    std::unique_ptr<OpenSslProvider> p(new OpenSslProvider);
    p->m_hmac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    p->m_hmacTemplate = p->m_hmac ? EVP_MAC_CTX_new(p->m_hmac) : nullptr;
    p->m_sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
    static constexpr const char *cbc[] = { "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" };
    static constexpr const char *ctr[] = { "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" };
    bool ok = p->m_hmacTemplate && p->m_sha512;
    for (size_t i = 0; i < 3; ++i) {
        p->m_cbc[i] = EVP_CIPHER_fetch(nullptr, cbc[i], nullptr);
        p->m_ctr[i] = EVP_CIPHER_fetch(nullptr, ctr[i], nullptr);
        ok = ok && p->m_cbc[i] && p->m_ctr[i];
    }
    if (ok) {
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end() };
        ok = EVP_MAC_CTX_set_params(p->m_hmacTemplate, params) == 1;
    }
    if (!ok)
        return cryptoFailure(
            CryptoError::Internal, QStringLiteral("OpenSSL lacks HMAC-SHA256, SHA-512 or AES"));
    return p;
}

OpenSslProvider::~OpenSslProvider()
{
    for (EVP_CIPHER *c : m_cbc)
        EVP_CIPHER_free(c);
    for (EVP_CIPHER *c : m_ctr)
        EVP_CIPHER_free(c);
    EVP_MD_free(m_sha512);
    EVP_MAC_CTX_free(m_hmacTemplate);
    EVP_MAC_free(m_hmac);
}

signal_crypto_provider OpenSslProvider::table()
{
    signal_crypto_provider t {};
    t.random_func = &OpenSslProvider::random;
    t.hmac_sha256_init_func = &OpenSslProvider::hmacInit;
    t.hmac_sha256_update_func = &OpenSslProvider::hmacUpdate;
    t.hmac_sha256_final_func = &OpenSslProvider::hmacFinal;
    t.hmac_sha256_cleanup_func = &OpenSslProvider::hmacCleanup;
    t.sha512_digest_init_func = &OpenSslProvider::sha512Init;
    t.sha512_digest_update_func = &OpenSslProvider::sha512Update;
    t.sha512_digest_final_func = &OpenSslProvider::sha512Final;
    t.sha512_digest_cleanup_func = &OpenSslProvider::sha512Cleanup;
    t.encrypt_func = &OpenSslProvider::encrypt;
    t.decrypt_func = &OpenSslProvider::decrypt;
    t.user_data = this;
    return t;
}

const EVP_CIPHER *OpenSslProvider::cipherFor(int mode, size_t keyLen) const
{
    const size_t index = keyLen == 16 ? 0 : keyLen == 24 ? 1 : keyLen == 32 ? 2 : 3;
    if (index > 2)
        return nullptr;
    if (mode == SG_CIPHER_AES_CBC_PKCS5)
        return m_cbc[index];
    if (mode == SG_CIPHER_AES_CTR_NOPADDING)
        return m_ctr[index];
    return nullptr;
}

int OpenSslProvider::random(uint8_t *data, size_t len, void *)
{
    while (len > 0) {
        const int chunk = int(std::min<size_t>(len, INT_MAX));
        if (RAND_bytes(data, chunk) != 1)
            return kFailed;
        data += chunk;
        len -= size_t(chunk);
    }
    return 0;
}

int OpenSslProvider::hmacInit(void **context, const uint8_t *key, size_t keyLen, void *user)
{
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(self(user)->m_hmacTemplate);
    if (!ctx || EVP_MAC_init(ctx, key, keyLen, nullptr) != 1) {
        EVP_MAC_CTX_free(ctx);
        return kFailed;
    }
    *context = ctx;
    return 0;
}

int OpenSslProvider::hmacUpdate(void *context, const uint8_t *data, size_t len, void *)
{
    return EVP_MAC_update(static_cast<EVP_MAC_CTX *>(context), data, len) == 1 ? 0 : kFailed;
}

int OpenSslProvider::hmacFinal(void *context, signal_buffer **output, void *)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    size_t len = 0;
    if (EVP_MAC_final(static_cast<EVP_MAC_CTX *>(context), mac, &len, sizeof mac) != 1)
        return kFailed;
    *output = signal_buffer_create(mac, len);
    OPENSSL_cleanse(mac, sizeof mac);
    return *output ? 0 : SG_ERR_NOMEM;
}

void OpenSslProvider::hmacCleanup(void *context, void *)
{
    EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX *>(context));
}

int OpenSslProvider::sha512Init(void **context, void *user)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex2(ctx, self(user)->m_sha512, nullptr) != 1) {
        EVP_MD_CTX_free(ctx);
        return kFailed;
    }
    *context = ctx;
    return 0;
}

int OpenSslProvider::sha512Update(void *context, const uint8_t *data, size_t len, void *)
{
    return EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(context), data, len) == 1 ? 0 : kFailed;
}

int OpenSslProvider::sha512Final(void *context, signal_buffer **output, void *user)
{
    auto *ctx = static_cast<EVP_MD_CTX *>(context);
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    // libsignal hashes in a loop with one context (fingerprints): final must leave it ready again.
    if (EVP_DigestFinal_ex(ctx, md, &len) != 1 || EVP_DigestInit_ex2(ctx, self(user)->m_sha512, nullptr) != 1)
        return kFailed;
    *output = signal_buffer_create(md, len);
    return *output ? 0 : SG_ERR_NOMEM;
}

void OpenSslProvider::sha512Cleanup(void *context, void *)
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(context));
}

int OpenSslProvider::encrypt(signal_buffer **output, int mode, const uint8_t *key, size_t keyLen,
    const uint8_t *iv, size_t ivLen, const uint8_t *plaintext, size_t len, void *user)
{
    const EVP_CIPHER *cipher = self(user)->cipherFor(mode, keyLen);
    if (!cipher || ivLen != kAesBlock || len > kMaxLen)
        return SG_ERR_INVAL;
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher, key, iv, nullptr) != 1)
        return kFailed;
    // CBC with PKCS#5 always adds 1..16 bytes; CTR adds none. The exact size avoids a copy.
    const size_t capacity = mode == SG_CIPHER_AES_CBC_PKCS5 ? (len / kAesBlock + 1) * kAesBlock : len;
    BufferPtr out(signal_buffer_alloc(capacity));
    if (!out)
        return SG_ERR_NOMEM;
    uint8_t *dst = signal_buffer_data(out.get());
    int n1 = 0, n2 = 0;
    if (EVP_EncryptUpdate(ctx.get(), dst, &n1, plaintext, int(len)) != 1
        || EVP_EncryptFinal_ex(ctx.get(), dst + n1, &n2) != 1 || size_t(n1 + n2) != capacity)
        return kFailed;
    *output = out.release();
    return 0;
}

int OpenSslProvider::decrypt(signal_buffer **output, int mode, const uint8_t *key, size_t keyLen,
    const uint8_t *iv, size_t ivLen, const uint8_t *ciphertext, size_t len, void *user)
{
    const EVP_CIPHER *cipher = self(user)->cipherFor(mode, keyLen);
    if (!cipher || ivLen != kAesBlock || len > kMaxLen)
        return SG_ERR_INVAL;
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx || EVP_DecryptInit_ex2(ctx.get(), cipher, key, iv, nullptr) != 1)
        return kFailed;
    // EVP may write up to one block more than the input before it strips the padding.
    BufferPtr out(signal_buffer_alloc(len + kAesBlock));
    if (!out)
        return SG_ERR_NOMEM;
    uint8_t *dst = signal_buffer_data(out.get());
    int n1 = 0, n2 = 0;
    if (EVP_DecryptUpdate(ctx.get(), dst, &n1, ciphertext, int(len)) != 1
        || EVP_DecryptFinal_ex(ctx.get(), dst + n1, &n2) != 1)
        return kFailed;
    *output = signal_buffer_n_copy(out.get(), size_t(n1 + n2));
    return *output ? 0 : SG_ERR_NOMEM;
}

} // namespace chattermesh::crypto

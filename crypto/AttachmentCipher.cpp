// SPDX-License-Identifier: GPL-3.0-or-later
#include "AttachmentCipher.h"

#include <QCryptographicHash>
#include <QIODevice>
#include <QMessageAuthenticationCode>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace chattermesh::crypto {

namespace {

constexpr qint64 kStreamPiece = 64 * 1024;

QByteArray aesKey(const AttachmentKey &key)
{
    return key.bytes.left(32);
}
QByteArray macKey(const AttachmentKey &key)
{
    return key.bytes.mid(32, 32);
}

Failure<CryptoError> fail(const char *what)
{
    return { CryptoError::Internal, QString::fromLatin1(what) };
}

struct CipherCtx {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

} // namespace

AttachmentKey AttachmentKey::generate()
{
    AttachmentKey key;
    key.bytes.resize(kSize);
    RAND_bytes(reinterpret_cast<unsigned char *>(key.bytes.data()), kSize);
    return key;
}

struct AttachmentEncryptor::State {
    CipherCtx cipher;
    QMessageAuthenticationCode mac { QCryptographicHash::Sha256 };
    QCryptographicHash hash { QCryptographicHash::Sha256 };
    QByteArray iv;
    bool started = false;
    bool ok = true;
};

AttachmentEncryptor::AttachmentEncryptor(const AttachmentKey &key, const QByteArray &iv)
    : m_state(std::make_unique<State>())
{
    m_state->iv = iv;
    if (m_state->iv.isEmpty()) {
        m_state->iv.resize(AttachmentLayout::kIvSize);
        RAND_bytes(reinterpret_cast<unsigned char *>(m_state->iv.data()), AttachmentLayout::kIvSize);
    }
    m_state->mac.setKey(macKey(key));
    const QByteArray k = aesKey(key);
    m_state->ok = key.valid() && m_state->iv.size() == AttachmentLayout::kIvSize
        && EVP_EncryptInit_ex(m_state->cipher.ctx, EVP_aes_256_cbc(), nullptr,
               reinterpret_cast<const unsigned char *>(k.constData()),
               reinterpret_cast<const unsigned char *>(m_state->iv.constData()))
            == 1;
}

AttachmentEncryptor::~AttachmentEncryptor() = default;

CryptoResult<QByteArray> AttachmentEncryptor::update(const QByteArray &plain)
{
    if (!m_state->ok)
        return fail("attachment cipher not initialised (bad key or IV)");
    QByteArray out;
    if (!m_state->started) {
        m_state->started = true;
        out = m_state->iv;
        m_state->mac.addData(m_state->iv);
    }
    const qsizetype head = out.size();
    out.resize(head + plain.size() + AttachmentLayout::kBlockSize);
    int written = 0;
    if (EVP_EncryptUpdate(m_state->cipher.ctx, reinterpret_cast<unsigned char *>(out.data() + head), &written,
            reinterpret_cast<const unsigned char *>(plain.constData()), int(plain.size()))
        != 1)
        return fail("AES-CBC encrypt");
    out.resize(head + written);
    m_state->mac.addData(out.constData() + head, written);
    m_state->hash.addData(out);
    return out;
}

CryptoResult<QByteArray> AttachmentEncryptor::finish()
{
    auto head = update(QByteArray()); // emits the IV when the file was empty
    if (!head)
        return head;
    QByteArray out = head.value();
    const qsizetype at = out.size();
    out.resize(at + AttachmentLayout::kBlockSize);
    int written = 0;
    if (EVP_EncryptFinal_ex(m_state->cipher.ctx, reinterpret_cast<unsigned char *>(out.data() + at), &written)
        != 1)
        return fail("AES-CBC final block");
    out.resize(at + written);
    m_state->mac.addData(out.constData() + at, written);
    out.append(m_state->mac.result());
    m_state->hash.addData(out.constData() + at, out.size() - at);
    m_digest = m_state->hash.result();
    return out;
}

CryptoResult<EncryptedFile> encryptStream(QIODevice &in, QIODevice &out, const AttachmentKey &key)
{
    AttachmentEncryptor enc(key);
    EncryptedFile result;
    const auto write = [&](const QByteArray &bytes) {
        result.blobSize += bytes.size();
        return out.write(bytes) == bytes.size();
    };
    while (!in.atEnd()) {
        const QByteArray piece = in.read(kStreamPiece);
        if (piece.isEmpty())
            break;
        result.plainSize += piece.size();
        auto c = enc.update(piece);
        if (!c)
            return c.error();
        if (!write(c.value()))
            return Failure<CryptoError> { CryptoError::StoreFailed, out.errorString() };
    }
    auto last = enc.finish();
    if (!last)
        return last.error();
    if (!write(last.value()))
        return Failure<CryptoError> { CryptoError::StoreFailed, out.errorString() };
    result.digest = enc.digest();
    return result;
}

CryptoResult<qint64> verifyBlob(QIODevice &blob, const AttachmentKey &key, const QByteArray &digest)
{
    if (!key.valid())
        return Failure<CryptoError> { CryptoError::InvalidKey,
            QStringLiteral("attachment key is not 64 bytes") };
    const qint64 size = blob.size();
    if (size < AttachmentLayout::kIvSize + AttachmentLayout::kBlockSize + AttachmentLayout::kMacSize
        || (size - AttachmentLayout::kIvSize - AttachmentLayout::kMacSize) % AttachmentLayout::kBlockSize
            != 0)
        return Failure<CryptoError> { CryptoError::InvalidMessage,
            QStringLiteral("attachment blob has an impossible size (%1 bytes)").arg(size) };
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, macKey(key));
    const qint64 macAt = size - AttachmentLayout::kMacSize;
    qint64 pos = 0;
    QByteArray tail;
    if (!blob.seek(0))
        return Failure<CryptoError> { CryptoError::StoreFailed, blob.errorString() };
    while (pos < size) {
        const QByteArray piece = blob.read(kStreamPiece);
        if (piece.isEmpty())
            return Failure<CryptoError> { CryptoError::StoreFailed,
                QStringLiteral("attachment blob ends early") };
        hash.addData(piece);
        const qint64 macPart = std::max<qint64>(0, std::min<qint64>(piece.size(), macAt - pos));
        mac.addData(piece.constData(), macPart);
        if (macPart < piece.size())
            tail.append(piece.constData() + macPart, piece.size() - macPart);
        pos += piece.size();
    }
    if (hash.result() != digest)
        return Failure<CryptoError> { CryptoError::InvalidMessage,
            QStringLiteral("attachment digest mismatch: the downloaded bytes are not the ones sent") };
    if (mac.result() != tail)
        return Failure<CryptoError> { CryptoError::InvalidMessage,
            QStringLiteral("attachment MAC mismatch") };
    return size;
}

CryptoResult<QByteArray> decryptBlob(const QByteArray &blob, const AttachmentKey &key)
{
    if (!key.valid())
        return Failure<CryptoError> { CryptoError::InvalidKey,
            QStringLiteral("attachment key is not 64 bytes") };
    const qsizetype bodySize = blob.size() - AttachmentLayout::kIvSize - AttachmentLayout::kMacSize;
    if (bodySize < AttachmentLayout::kBlockSize || bodySize % AttachmentLayout::kBlockSize != 0)
        return Failure<CryptoError> { CryptoError::InvalidMessage,
            QStringLiteral("attachment blob is malformed") };
    const QByteArray mac = QMessageAuthenticationCode::hash(
        blob.left(blob.size() - AttachmentLayout::kMacSize), macKey(key), QCryptographicHash::Sha256);
    if (mac != blob.right(AttachmentLayout::kMacSize))
        return Failure<CryptoError> { CryptoError::InvalidMessage,
            QStringLiteral("attachment MAC mismatch") };
    CipherCtx c;
    const QByteArray k = aesKey(key);
    QByteArray out(bodySize + AttachmentLayout::kBlockSize, Qt::Uninitialized);
    int n1 = 0;
    int n2 = 0;
    const auto *iv = reinterpret_cast<const unsigned char *>(blob.constData());
    if (EVP_DecryptInit_ex(
            c.ctx, EVP_aes_256_cbc(), nullptr, reinterpret_cast<const unsigned char *>(k.constData()), iv)
            != 1
        || EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char *>(out.data()), &n1,
               reinterpret_cast<const unsigned char *>(blob.constData() + AttachmentLayout::kIvSize),
               int(bodySize))
            != 1
        || EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char *>(out.data() + n1), &n2) != 1)
        return Failure<CryptoError> { CryptoError::InvalidMessage,
            QStringLiteral("attachment padding is invalid") };
    out.resize(n1 + n2);
    return out;
}

} // namespace chattermesh::crypto

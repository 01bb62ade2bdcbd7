// SPDX-License-Identifier: GPL-3.0-or-later
#include "AttachmentReader.h"

#include <openssl/evp.h>

namespace chattermesh::crypto {

namespace {
constexpr qint64 kBlock = AttachmentLayout::kBlockSize;
constexpr qint64 kMaxBlocksPerRead = 4096; // 64 KiB
} // namespace

AttachmentReader::AttachmentReader(const QString &blobPath, const AttachmentKey &key, QObject *parent)
    : QIODevice(parent), m_blob(blobPath), m_key(key)
{ }

bool AttachmentReader::open(OpenMode mode)
{
    if ((mode & WriteOnly) || !m_key.valid()) {
        setErrorString(QStringLiteral("attachment reader is read-only and needs a 64-byte key"));
        return false;
    }
    if (!m_blob.open(QIODevice::ReadOnly)) {
        setErrorString(m_blob.errorString());
        return false;
    }
    const qint64 body = m_blob.size() - AttachmentLayout::kIvSize - AttachmentLayout::kMacSize;
    if (body < kBlock || body % kBlock != 0) {
        setErrorString(QStringLiteral("attachment blob has an impossible size"));
        m_blob.close();
        return false;
    }
    m_blocks = body / kBlock;
    const QByteArray last = decryptBlocks(m_blocks - 1, 1);
    const int pad = last.isEmpty() ? 0 : int(quint8(last.back()));
    if (pad < 1 || pad > kBlock || last.size() != kBlock) {
        setErrorString(QStringLiteral("attachment padding is invalid"));
        m_blob.close();
        return false;
    }
    m_plainSize = m_blocks * kBlock - pad;
    return QIODevice::open(mode | Unbuffered);
}

void AttachmentReader::close()
{
    QIODevice::close();
    m_blob.close();
}

QByteArray AttachmentReader::decryptBlocks(qint64 first, qint64 count)
{
    // The IV of block b is ciphertext block b - 1, or the blob's IV for block 0: both sit just
    // before it in the file.
    if (!m_blob.seek(first * kBlock))
        return {};
    const QByteArray raw = m_blob.read((count + 1) * kBlock);
    if (raw.size() != (count + 1) * kBlock)
        return {};
    const QByteArray k = m_key.bytes.left(32);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    QByteArray out(count * kBlock, Qt::Uninitialized);
    int n = 0;
    const bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr,
                        reinterpret_cast<const unsigned char *>(k.constData()),
                        reinterpret_cast<const unsigned char *>(raw.constData()))
            == 1
        && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1
        && EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char *>(out.data()), &n,
               reinterpret_cast<const unsigned char *>(raw.constData() + kBlock), int(count * kBlock))
            == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok || n != count * kBlock)
        return {};
    return out;
}

qint64 AttachmentReader::readData(char *data, qint64 maxSize)
{
    const qint64 start = pos();
    const qint64 want = std::min(maxSize, m_plainSize - start);
    if (want <= 0)
        return start >= m_plainSize ? -1 : 0;
    // QIODevice takes a short read as "no more for now": fill all of it, 64 KiB of blocks at a time.
    qint64 done = 0;
    while (done < want) {
        const qint64 at = start + done;
        const qint64 first = at / kBlock;
        const qint64 last = std::min((start + want - 1) / kBlock, first + kMaxBlocksPerRead - 1);
        const QByteArray plain = decryptBlocks(first, last - first + 1);
        if (plain.isEmpty()) {
            setErrorString(QStringLiteral("attachment blob could not be read"));
            return done > 0 ? done : -1;
        }
        const qint64 skip = at - first * kBlock;
        const qint64 n = std::min<qint64>(want - done, plain.size() - skip);
        memcpy(data + done, plain.constData() + skip, size_t(n));
        done += n;
    }
    return done;
}

} // namespace chattermesh::crypto

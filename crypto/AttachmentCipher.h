// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CryptoError.h"

#include <QByteArray>
#include <QString>
#include <memory>

class QIODevice;

namespace chattermesh::crypto {

// A file's own key: 32 bytes for AES-256-CBC, then 32 for HMAC-SHA256. Fresh for every file, sent
// inside the end-to-end encrypted message, never to the server.
struct AttachmentKey {
    static constexpr int kSize = 64;
    QByteArray bytes;

    static AttachmentKey generate();
    bool valid() const { return bytes.size() == kSize; }
};

// The blob layout: IV (16) | AES-256-CBC ciphertext with PKCS#7 padding | HMAC-SHA256(IV | ciphertext)
// (32). The digest that names the blob is SHA-256 of all of it, so a download is checked before a
// single byte is decrypted. Sizes are known in advance, which lets an upload be announced first.
struct AttachmentLayout {
    static constexpr int kIvSize = 16;
    static constexpr int kBlockSize = 16;
    static constexpr int kMacSize = 32;
    static qint64 blobSize(qint64 plainSize)
    {
        return kIvSize + (plainSize / kBlockSize + 1) * kBlockSize + kMacSize;
    }
};

// Encrypts a stream in pieces of any size: feed update() in order, then finish(). Memory use does not
// depend on the file's size.
class AttachmentEncryptor {
public:
    // `iv` empty: a random one. A fixed IV is only for tests.
    explicit AttachmentEncryptor(const AttachmentKey &key, const QByteArray &iv = {});
    ~AttachmentEncryptor();
    AttachmentEncryptor(const AttachmentEncryptor &) = delete;
    AttachmentEncryptor &operator=(const AttachmentEncryptor &) = delete;

    // The bytes of the blob that these plaintext bytes complete (the IV comes out first).
    CryptoResult<QByteArray> update(const QByteArray &plain);
    // The last block and the MAC.
    CryptoResult<QByteArray> finish();
    // SHA-256 of every byte returned; valid after finish().
    QByteArray digest() const { return m_digest; }

private:
    struct State;
    std::unique_ptr<State> m_state;
    QByteArray m_digest;
};

struct EncryptedFile {
    QByteArray digest;
    qint64 blobSize = 0;
    qint64 plainSize = 0;
};

// Streams `in` into `out` (both open), 64 KiB at a time.
CryptoResult<EncryptedFile> encryptStream(QIODevice &in, QIODevice &out, const AttachmentKey &key);

// Checks a whole blob before anything is shown: its SHA-256 against `digest`, then its MAC. Streams,
// so a 100 MB video costs 64 KiB of memory. InvalidMessage names which check failed.
CryptoResult<qint64> verifyBlob(QIODevice &blob, const AttachmentKey &key, const QByteArray &digest);

// Decrypts a whole (verified) blob into memory: for thumbnails and images.
CryptoResult<QByteArray> decryptBlob(const QByteArray &blob, const AttachmentKey &key);

} // namespace chattermesh::crypto

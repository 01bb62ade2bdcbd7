// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AttachmentCipher.h"

#include <QFile>
#include <QIODevice>

namespace chattermesh::crypto {

// The plaintext of an encrypted attachment blob on disk, readable and seekable without ever
// writing it out: media players and image readers take it as their source. CBC lets any block be
// decrypted from the block before it, so a seek costs one block. Check the blob with verifyBlob()
// first; this class only decrypts.
class AttachmentReader : public QIODevice {
public:
    AttachmentReader(const QString &blobPath, const AttachmentKey &key, QObject *parent = nullptr);

    // Opens read-only; fails (with errorString()) on a missing file, a bad size or bad padding.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_plainSize; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    // Plaintext of `count` blocks from block `first`, without padding removal.
    QByteArray decryptBlocks(qint64 first, qint64 count);

    QFile m_blob;
    AttachmentKey m_key;
    qint64 m_plainSize = 0;
    qint64 m_blocks = 0;
};

} // namespace chattermesh::crypto

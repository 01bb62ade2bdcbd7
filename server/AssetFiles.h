// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace chattermesh::server {

// The blobs: `<root>/<first 2 hex>/<id>`, exactly the bytes received. Every read and hash streams
// in small pieces, so no call holds more than one chunk of a blob in memory. Asset thread only.
class AssetFiles {
public:
    explicit AssetFiles(QString root);

    bool prepare(); // creates the root directory
    QString pathOf(const QString &id) const;

    bool create(const QString &id); // an empty blob (and its directory)
    qint64 size(const QString &id) const; // -1 if there is no blob
    // Writes bytes at offset, dropping anything stored past it first, and flushes them to the OS.
    bool write(const QString &id, qint64 offset, const QByteArray &bytes);
    bool sync(const QString &id); // fdatasync
    std::optional<QByteArray> sha256(const QString &id) const;
    std::optional<QByteArray> read(const QString &id, qint64 offset, qint64 length) const;
    bool remove(const QString &id); // true if the blob is gone (or never was)

private:
    QString m_root;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetFiles.h"

#include "ServerLog.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr qint64 kHashPiece = 256 * 1024;

} // namespace

AssetFiles::AssetFiles(QString root) : m_root(std::move(root)) { }

bool AssetFiles::prepare()
{
    return QDir().mkpath(m_root);
}

QString AssetFiles::pathOf(const QString &id) const
{
    return m_root + u'/' + id.left(2) + u'/' + id;
}

bool AssetFiles::create(const QString &id)
{
    const QString path = pathOf(id);
    if (!QDir().mkpath(QFileInfo(path).path()))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        qCWarning(lcServer) << "assets: cannot create blob:" << file.errorString();
        return false;
    }
    return true;
}

qint64 AssetFiles::size(const QString &id) const
{
    const QFileInfo info(pathOf(id));
    return info.exists() ? info.size() : -1;
}

bool AssetFiles::write(const QString &id, qint64 offset, const QByteArray &bytes)
{
    QFile file(pathOf(id));
    if (!file.open(QIODevice::ReadWrite)) {
        qCWarning(lcServer) << "assets: cannot open blob:" << file.errorString();
        return false;
    }
    if ((file.size() != offset && !file.resize(offset)) || !file.seek(offset)
        || file.write(bytes) != bytes.size() || !file.flush()) {
        qCWarning(lcServer) << "assets: cannot write blob:" << file.errorString();
        return false;
    }
    // Each chunk reaches the disk here, on the asset thread. Left dirty, a whole upload's pages
    // would be written back inside the next journal commit, which the message store's own fsync
    // triggers (ext4 data=ordered): texts would wait behind the file. It also makes the offset
    // the server reports one that survives a power cut.
    if (::fdatasync(file.handle()) != 0) {
        qCWarning(lcServer) << "assets: cannot sync blob";
        return false;
    }
    return true;
}

bool AssetFiles::sync(const QString &id)
{
    QFile file(pathOf(id));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    return ::fdatasync(file.handle()) == 0;
}

std::optional<QByteArray> AssetFiles::sha256(const QString &id) const
{
    QFile file(pathOf(id));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray piece;
    while (!(piece = file.read(kHashPiece)).isEmpty())
        hash.addData(piece);
    if (file.error() != QFileDevice::NoError)
        return std::nullopt;
    return hash.result();
}

std::optional<QByteArray> AssetFiles::read(const QString &id, qint64 offset, qint64 length) const
{
    QFile file(pathOf(id));
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
        return std::nullopt;
    QByteArray bytes = file.read(length);
    if (bytes.size() != length)
        return std::nullopt;
    return bytes;
}

bool AssetFiles::remove(const QString &id)
{
    QFile file(pathOf(id));
    return !file.exists() || file.remove();
}

} // namespace chattermesh::server

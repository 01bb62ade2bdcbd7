// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TestClient.h"

#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>

// What the media tests share: files to send, where the server keeps a blob, and the state of a
// message or its transfer as the client's store has it.
namespace chattermesh::test {

using namespace Qt::StringLiterals;

// Random bytes with a recognisable run in the middle: if any of it reached the server in the clear,
// a scan of its files finds it.
inline const QByteArray kCanary = QByteArrayLiteral("CHATTERMESH-CANARY-RUN-0123456789-");

inline QString writeFile(const QString &path, qint64 size, quint32 seed, bool canary = false)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    QRandomGenerator rng(seed);
    QByteArray block(1 << 16, Qt::Uninitialized);
    for (qint64 written = 0; written < size;) {
        rng.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        const QByteArray piece = block.left(std::min<qint64>(block.size(), size - written));
        f.write(piece);
        written += piece.size();
    }
    if (canary && size > 4 * 4096) {
        f.seek(size / 2);
        f.write(kCanary.repeated(64));
    }
    return path;
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file under `dir` (the server's database, its WAL, the blobs), read whole.
inline QList<std::pair<QString, QByteArray>> everyFile(const QString &dir)
{
    QList<std::pair<QString, QByteArray>> out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        out.append({ p, readAll(p) });
    }
    return out;
}

inline QString blobPath(const QString &dataDir, const QString &assetId)
{
    return dataDir + u"/assets/"_s + assetId.left(2) + u'/' + assetId;
}

inline core::StoredMessage lastMedia(TestClient &c, const QString &peer)
{
    const auto all = c.all(peer);
    for (auto it = all.crbegin(); it != all.crend(); ++it)
        if (it->kind == core::MessageKind::Media)
            return *it;
    return {};
}

inline core::TransferState stateOf(TestClient &c, qint64 localId)
{
    const auto t = c->transferOf(localId);
    return t ? t->state : core::TransferState::Failed; // none at all: never a success
}

inline core::MessageState messageState(TestClient &c, const QByteArray &id)
{
    const auto m = c->store().findMessage(id);
    return m ? m->state : core::MessageState::Failed;
}

// `from` sends the file at `path` to `peer`; once it is delivered, `to` downloads it. The receiver's
// local id once the download is Done, or 0 with a warning saying which step did not happen in time.
inline qint64 sendAndFetch(TestClient &from, const QString &peer, TestClient &to, const QString &sender,
    const QString &path, int timeoutMs = 30000)
{
    const auto media = from->sendMedia({ peer }, path);
    if (!media.ok()) {
        qWarning("sending %s failed: %s", qPrintable(path), qPrintable(media.error().message));
        return 0;
    }
    const QByteArray id = media.value().clientMsgId;
    if (!QTest::qWaitFor(
            [&] { return messageState(from, id) == core::MessageState::Delivered; }, timeoutMs)) {
        qWarning("the attachment was not delivered");
        return 0;
    }
    const qint64 got = lastMedia(to, sender).localId;
    if (got <= 0) {
        qWarning("the receiver has no attachment message");
        return 0;
    }
    to->download(got);
    if (!QTest::qWaitFor([&] { return stateOf(to, got) == core::TransferState::Done; }, timeoutMs)) {
        qWarning("the download did not finish");
        return 0;
    }
    return got;
}

// A real picture of noise (it does not compress), so the probe decodes it and sends it as an image.
// `trailer` goes after the image data, where decoders never look: a canary inside a valid image.
inline QString writeImage(
    const QString &path, QSize size, const char *format, quint32 seed, const QByteArray &trailer = {})
{
    QImage image(size, QImage::Format_ARGB32);
    QRandomGenerator rng(seed);
    for (int y = 0; y < size.height(); ++y)
        rng.fillRange(reinterpret_cast<quint32 *>(image.scanLine(y)), size.width());
    if (!image.save(path, format, 100))
        return {};
    QFile f(path);
    if (!trailer.isEmpty() && (!f.open(QIODevice::Append) || f.write(trailer) != trailer.size()))
        return {};
    return path;
}

inline QString mediaFixture(const QString &name)
{
    return QStringLiteral(CHATTERMESH_MEDIA_DATA) + u'/' + name;
}

} // namespace chattermesh::test

// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaImageProvider.h"

#include "EngineThread.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>
#include <QtConcurrent>

namespace chattermesh::qml {

namespace {

class MediaImageResponse : public QQuickImageResponse {
public:
    QQuickTextureFactory *textureFactory() const override
    {
        return QQuickTextureFactory::textureFactoryForImage(m_image);
    }
    QString errorString() const override { return m_error; }

    // Exactly once, from any thread (QQuickImageResponse allows it).
    void deliver(const QImage &image, const QString &error)
    {
        m_image = image;
        m_error = image.isNull() && error.isEmpty() ? QStringLiteral("cannot decode the image") : error;
        Q_EMIT finished();
    }

private:
    QImage m_image;
    QString m_error;
};

QImage decode(const QByteArray &bytes, QSize requested)
{
    QBuffer buffer;
    buffer.setData(bytes);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true); // EXIF orientation, as the sender's dimensions assume
    if (requested.isValid() && !requested.isEmpty() && reader.size().isValid())
        reader.setScaledSize(reader.size().scaled(requested, Qt::KeepAspectRatio));
    return reader.read();
}

} // namespace

QQuickImageResponse *MediaImageProvider::requestImageResponse(const QString &id, const QSize &requestedSize)
{
    auto *response = new MediaImageResponse;
    const QStringList parts = id.split(u'/');
    bool ok = false;
    const qint64 localId = parts.size() == 2 ? parts[1].toLongLong(&ok) : 0;
    core::Engine *engine = m_engine ? m_engine->engine() : nullptr;
    if (!ok || !engine || (parts[0] != u"thumb" && parts[0] != u"full")) {
        response->deliver({}, QStringLiteral("no such image: %1").arg(id));
        return response;
    }
    const bool thumb = parts[0] == u"thumb";
    m_engine->post([engine, response, localId, thumb, requestedSize] {
        QByteArray bytes;
        QString error;
        if (thumb) {
            const auto media = engine->mediaOf(localId);
            bytes = media ? QByteArray::fromStdString(media->thumbnail()) : QByteArray();
        } else if (auto plain = engine->readMedia(localId)) {
            bytes = plain.value();
        } else {
            error = plain.error().message;
        }
        if (bytes.isEmpty())
            return response->deliver({}, error.isEmpty() ? QStringLiteral("no image") : error);
        // Decoding a 12-megapixel photo takes a while: not on the engine's thread either.
        (void)QtConcurrent::run(
            [response, bytes, requestedSize] { response->deliver(decode(bytes, requestedSize), QString()); });
    });
    return response;
}

} // namespace chattermesh::qml

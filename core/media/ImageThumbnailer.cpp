// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImageThumbnailer.h"

#include "MediaLog.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace chattermesh::media {

namespace {

// Below this a thumbnail stops being useful; the loop in encode() always fits long before it.
constexpr int MinSide = 16;
// Qualities tried in turn before the image is made smaller: most photos fit at the first one.
constexpr int Qualities[] = { 80, 65, 50, 35 };

} // namespace

ImageThumbnailer::ImageThumbnailer(int maxSide, qsizetype maxBytes)
    : m_maxSide(qMax(maxSide, MinSide)), m_maxBytes(maxBytes)
{ }

QSize ImageThumbnailer::fitted(QSize size) const
{
    if (size.width() <= m_maxSide && size.height() <= m_maxSide)
        return size;
    return size.scaled(m_maxSide, m_maxSide, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
}

MediaResult<ImageThumbnailer::Described> ImageThumbnailer::describe(const QString &path) const
{
    const QFileInfo info(path);
    if (!info.exists())
        return MediaFailure { MediaError::FileMissing, u"no file at %1"_s.arg(path) };
    if (!info.isFile() || !info.isReadable())
        return MediaFailure { MediaError::Unreadable, u"%1 is not a readable file"_s.arg(path) };

    QImageReader reader(path);
    reader.setAutoTransform(true);
    if (!reader.canRead())
        return MediaFailure { MediaError::UnsupportedImage, reader.errorString() };

    const QSize stored = reader.size();
    if (!stored.isValid())
        return MediaFailure { MediaError::UnsupportedImage, u"the image has no readable size"_s };
    // The EXIF orientation is known from the header; a quarter turn swaps what the user sees.
    const bool quarterTurn = reader.transformation().testFlag(QImageIOHandler::TransformationRotate90);
    const QSize shown = quarterTurn ? stored.transposed() : stored;

    // The reader scales before it rotates, so the target is given in stored orientation.
    const QSize target = fitted(shown);
    reader.setScaledSize(quarterTurn ? target.transposed() : target);
    QImage image = reader.read();
    if (image.isNull())
        return MediaFailure { MediaError::UnsupportedImage, reader.errorString() };
    return Described { shown, encode(image) };
}

QByteArray ImageThumbnailer::jpeg(const QImage &image, int quality)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(quality);
    writer.setOptimizedWrite(true);
    if (!writer.write(image))
        qCWarning(lcMedia) << "JPEG encoding failed:" << writer.errorString();
    return bytes;
}

QByteArray ImageThumbnailer::encode(const QImage &source) const
{
    if (source.isNull())
        return {};
    QSize size = fitted(source.size());
    // JPEG has no alpha: flatten onto white, which is what a transparent image looks like in a
    // light bubble, instead of the black that dropping the alpha channel gives.
    QImage flat(source.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    {
        QPainter painter(&flat);
        painter.drawImage(0, 0, source);
    }
    QByteArray bytes;
    for (;;) {
        const QImage scaled
            = size == flat.size() ? flat : flat.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        for (int quality : Qualities) {
            bytes = jpeg(scaled, quality);
            if (bytes.size() <= m_maxBytes)
                return bytes;
        }
        if (qMax(size.width(), size.height()) <= MinSide)
            return bytes; // cannot happen for sane limits; better a slightly large thumbnail than none
        size = (QSizeF(size) * 0.75).toSize().expandedTo(QSize(1, 1));
    }
}

} // namespace chattermesh::media

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaError.h"

#include <QByteArray>
#include <QImage>
#include <QSize>

namespace chattermesh::media {

// Reads an image the way it is meant to be seen (EXIF orientation applied) and makes the small
// JPEG that travels inside the message. Large photos are never decoded at full size: the reader
// is asked for the thumbnail's size, which the JPEG decoder meets by scaling in the DCT domain.
// Synchronous and stateless apart from its limits, so any thread may use its own instance.
class ImageThumbnailer {
public:
    static constexpr int DefaultMaxSide = 320;
    static constexpr qsizetype DefaultMaxBytes = 24 * 1024;

    struct Described {
        QSize size; // the full image as displayed (after orientation)
        QByteArray thumbnail; // JPEG
    };

    explicit ImageThumbnailer(int maxSide = DefaultMaxSide, qsizetype maxBytes = DefaultMaxBytes);

    MediaResult<Described> describe(const QString &path) const;
    // For frames decoded elsewhere (video posters): scale to the limits and encode.
    QByteArray encode(const QImage &image) const;

    int maxSide() const { return m_maxSide; }
    qsizetype maxBytes() const { return m_maxBytes; }

private:
    QSize fitted(QSize size) const;
    static QByteArray jpeg(const QImage &image, int quality);

    int m_maxSide;
    qsizetype m_maxBytes;
};

} // namespace chattermesh::media

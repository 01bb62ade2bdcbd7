// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaKind.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace chattermesh::media {

// What the message bubble needs before the attachment itself is downloaded; it travels inside the
// end-to-end encrypted message (Content.media), so every field is small.
struct MediaInfo {
    MediaKind kind = MediaKind::File;
    QString mimeType; // from QMimeDatabase: content first, then the name
    QString fileName; // the name only, never the sender's directory
    qint64 size = 0; // plaintext bytes
    int width = 0; // as displayed, i.e. after EXIF orientation; 0 when not an image or video
    int height = 0;
    qint64 durationMs = 0; // video and voice
    QByteArray thumbnail; // JPEG, longest side <= 320 px, <= ~24 KB; images and videos
    QByteArray waveform; // voice notes: 64 peak levels 0..255, in time order
};

} // namespace chattermesh::media

Q_DECLARE_METATYPE(chattermesh::media::MediaInfo)

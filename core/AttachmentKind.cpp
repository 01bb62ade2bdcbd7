// SPDX-License-Identifier: GPL-3.0-or-later
#include "AttachmentKind.h"

namespace chattermesh::core {

content::Media::Kind contentKind(media::MediaKind kind)
{
    switch (kind) {
    case media::MediaKind::Image:
        return content::Media::IMAGE;
    case media::MediaKind::Video:
        return content::Media::VIDEO;
    case media::MediaKind::Voice:
        return content::Media::VOICE;
    case media::MediaKind::File:
        break;
    }
    return content::Media::FILE;
}

QString assetKindName(content::Media::Kind kind)
{
    switch (kind) {
    case content::Media::IMAGE:
        return QStringLiteral("image");
    case content::Media::VIDEO:
        return QStringLiteral("video");
    case content::Media::VOICE:
        return QStringLiteral("voice");
    default:
        return QStringLiteral("file");
    }
}

} // namespace chattermesh::core

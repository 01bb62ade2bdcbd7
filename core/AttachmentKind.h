// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaKind.h"
#include "content.pb.h"

#include <QString>

namespace chattermesh::core {

// The one mapping between the three names of an attachment's kind: what the probe found
// (media::MediaKind), what the message carries (content::Media::Kind), and what the asset service
// calls it (docs/media.md: "image", "video", "voice", "file"; its size limit depends on it).
content::Media::Kind contentKind(media::MediaKind kind);
QString assetKindName(content::Media::Kind kind);

} // namespace chattermesh::core

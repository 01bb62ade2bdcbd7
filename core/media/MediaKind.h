// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace chattermesh::media {

// What the bubble shows; the asset service's `kind` (docs/media.md) uses the same four words.
enum class MediaKind {
    Image,
    Video,
    Voice,
    File,
};

} // namespace chattermesh::media

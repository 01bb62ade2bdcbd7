// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaLog.h"

namespace chattermesh::media {
Q_LOGGING_CATEGORY(lcMedia, "chattermesh.media")
} // namespace chattermesh::media

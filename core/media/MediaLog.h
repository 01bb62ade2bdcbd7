// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

namespace chattermesh::media {
Q_DECLARE_LOGGING_CATEGORY(lcMedia)
} // namespace chattermesh::media

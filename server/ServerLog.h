// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

namespace chattermesh::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

} // namespace chattermesh::server

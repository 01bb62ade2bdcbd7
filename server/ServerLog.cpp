// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerLog.h"

namespace chattermesh::server {

Q_LOGGING_CATEGORY(lcServer, "chattermesh.server")

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

namespace chattermesh::proto {

Q_DECLARE_LOGGING_CATEGORY(lcProtobuf)

// libprotobuf writes its own complaints straight to stderr: one line for every frame from the
// network with invalid UTF-8 in a string field (found by fuzzing, docs/fuzzing.md). A peer could
// flood a log with them, outside its format (the server's JSON lines). Sends them to the
// chattermesh.protobuf category instead, at debug level: the typed MALFORMED_FRAME answer already
// says what went wrong. Call once, early in main().
void routeProtobufLogs();

} // namespace chattermesh::proto

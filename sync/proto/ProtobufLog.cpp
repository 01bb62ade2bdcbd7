// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtobufLog.h"

#include <google/protobuf/stubs/logging.h>

namespace chattermesh::proto {

Q_LOGGING_CATEGORY(lcProtobuf, "chattermesh.protobuf")

namespace {

void toCategory(google::protobuf::LogLevel level, const char *file, int line, const std::string &message)
{
    const QString text = QString::fromStdString(message);
    switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
    case google::protobuf::LOGLEVEL_WARNING:
    case google::protobuf::LOGLEVEL_ERROR:
        // What input can cause (bad UTF-8, a parse failure) is debug: the caller reports it, typed.
        qCDebug(lcProtobuf).noquote() << file << line << text;
        break;
    case google::protobuf::LOGLEVEL_FATAL:
        // A broken invariant of the library itself; it aborts after this.
        qCCritical(lcProtobuf).noquote() << file << line << text;
        break;
    }
}

} // namespace

void routeProtobufLogs()
{
    google::protobuf::SetLogHandler(&toCategory);
}

} // namespace chattermesh::proto

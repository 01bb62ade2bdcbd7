// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QtGlobal>

namespace chattermesh::server {

// Where and how the server's log lines go (--log-format, docs/operations.md): both formats write
// to stderr; json writes one object per line with ts (ISO-8601 UTC, milliseconds), level,
// category, msg, thread and, when the message is about one connection ("conn 12 ..."), conn.
// What is logged never holds message content, passwords, tokens or keys: the callers make sure.
class LogOutput {
public:
    enum class Format { Text, Json };

    // Installs the message pattern (text) or a message handler (json). Call once, early in main().
    static void install(Format format);

    // One JSON log line, newline included.
    static QByteArray jsonLine(QtMsgType type, const char *category, const QString &message,
        const QDateTime &timeUtc, const QString &thread);
};

} // namespace chattermesh::server

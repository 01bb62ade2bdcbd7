// SPDX-License-Identifier: GPL-3.0-or-later
#include "LogOutput.h"

#include <QThread>
#include <cstdio>
#include <mutex>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

void appendString(QByteArray &out, const QByteArray &utf8)
{
    out += '"';
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendField(QByteArray &out, const char *key, const QByteArray &utf8)
{
    out += out.size() > 1 ? ",\"" : "\"";
    out += key;
    out += "\":";
    appendString(out, utf8);
}

// "conn 12 ..." and "conn 12: ..." name the connection a line is about.
qint64 connectionOf(const QString &message)
{
    if (!message.startsWith(u"conn "_s))
        return -1;
    qsizetype end = 5;
    while (end < message.size() && message.at(end).isDigit())
        ++end;
    bool ok = false;
    const qint64 id = message.mid(5, end - 5).toLongLong(&ok);
    return ok ? id : -1;
}

std::mutex &outputMutex()
{
    static std::mutex mutex;
    return mutex;
}

void jsonHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString thread = QThread::currentThread()->objectName();
    const QByteArray line = LogOutput::jsonLine(type, context.category, message,
        QDateTime::currentDateTimeUtc(), thread.isEmpty() ? u"main"_s : thread);
    std::lock_guard lock(outputMutex());
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace

void LogOutput::install(Format format)
{
    if (format == Format::Json) {
        qInstallMessageHandler(jsonHandler);
        return;
    }
    qSetMessagePattern(
        u"%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-category}%{category} %{endif}%{type}: %{message}"_s);
}

QByteArray LogOutput::jsonLine(QtMsgType type, const char *category, const QString &message,
    const QDateTime &timeUtc, const QString &thread)
{
    QByteArray out = "{";
    appendField(out, "ts", timeUtc.toUTC().toString(Qt::ISODateWithMs).toUtf8());
    appendField(out, "level", levelName(type));
    appendField(out, "category", category ? QByteArray(category) : QByteArray("default"));
    appendField(out, "msg", message.toUtf8());
    appendField(out, "thread", thread.toUtf8());
    if (const qint64 conn = connectionOf(message); conn >= 0)
        out += ",\"conn\":" + QByteArray::number(conn);
    out += "}\n";
    return out;
}

} // namespace chattermesh::server

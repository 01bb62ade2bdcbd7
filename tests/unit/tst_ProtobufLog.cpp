// SPDX-License-Identifier: GPL-3.0-or-later
// libprotobuf's complaint about a frame with invalid UTF-8 goes to our logging category, not to
// stderr (found by fuzzing: a peer could flood the server's log, outside its format).
#include "FrameCodec.h"
#include "ProtobufLog.h"

#include <QTest>

using namespace chattermesh;
using namespace Qt::StringLiterals;

namespace {

QStringList g_captured;
QLoggingCategory::CategoryFilter g_previousFilter = nullptr;

// Debug output of our category on, whatever QT_LOGGING_RULES says (ctest turns chattermesh.* debug off).
void enableProtobufDebug(QLoggingCategory *category)
{
    if (g_previousFilter)
        g_previousFilter(category);
    if (qstrcmp(category->categoryName(), "chattermesh.protobuf") == 0)
        category->setEnabled(QtDebugMsg, true);
}

void capture(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_captured.append(QString::fromLatin1(context.category) + u": "_s + message);
}

// A Register whose username (field 5 → field 1, a proto3 string) holds the byte 0xff.
QByteArray invalidUtf8Register()
{
    return QByteArray("\x08\x01\x2a\x03\x0a\x01\xff", 7);
}

} // namespace

class tst_ProtobufLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void invalidUtf8IsATypedErrorLoggedInOurCategory()
    {
        g_previousFilter = QLoggingCategory::installFilter(enableProtobufDebug);
        proto::routeProtobufLogs();
        g_captured.clear();
        const QtMessageHandler previous = qInstallMessageHandler(capture);
        const proto::FrameResult decoded = proto::decodeFrame(invalidUtf8Register(), 1024);
        qInstallMessageHandler(previous);

        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code, proto::MALFORMED_FRAME);
        QCOMPARE(g_captured.size(), 1);
        QVERIFY2(g_captured.first().startsWith(u"chattermesh.protobuf: "_s), qPrintable(g_captured.first()));
        QVERIFY2(g_captured.first().contains(u"UTF-8"_s), qPrintable(g_captured.first()));
    }
};

QTEST_GUILESS_MAIN(tst_ProtobufLog)
#include "tst_ProtobufLog.moc"

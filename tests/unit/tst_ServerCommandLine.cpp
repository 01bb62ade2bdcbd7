// SPDX-License-Identifier: GPL-3.0-or-later
// The server's command line: the payload limit must leave room for a whole mailbox entry (up to two
// payload-sized ciphertexts) in a SyncBatch, whose size is capped by the frame limit and by what
// every client accepts.
#include "CommandLine.h"

#include <QTest>

using namespace chattermesh;
using namespace chattermesh::server;
using namespace Qt::StringLiterals;

namespace {

CommandLine withLimits(qint64 frame, qint64 payload)
{
    return CommandLine::parse({ u"chattermesh-server"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s,
        u"/tmp/x"_s, u"--max-frame-bytes"_s, QString::number(frame), u"--max-payload-bytes"_s,
        QString::number(payload) });
}

} // namespace

class tst_ServerCommandLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsLeaveRoomForAnEntry()
    {
        const auto ok = CommandLine::parse(
            { u"chattermesh-server"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, u"/tmp/x"_s });
        QVERIFY2(ok.action() == CommandLine::Action::Run, qPrintable(ok.text()));
        QCOMPARE(ok.config().syncBatchBytes(), qint64(1048576));
    }

    void payloadMustFitTwiceInAFrame()
    {
        const qint64 frame = 65536;
        const qint64 largest = (frame - ServerConfig::kEntryHeadroom - ServerConfig::kFrameHeadroom) / 2;
        QCOMPARE(withLimits(frame, largest).action(), CommandLine::Action::Run);
        const auto refused = withLimits(frame, largest + 1);
        QCOMPARE(refused.action(), CommandLine::Action::Fail);
        QVERIFY2(refused.text().contains(u"--max-payload-bytes"_s), qPrintable(refused.text()));
    }

    void syncBatchesNeverExceedWhatClientsAccept()
    {
        const qint64 frame = 64 * 1024 * 1024;
        const auto big = withLimits(frame, 1024 * 1024);
        QCOMPARE(big.action(), CommandLine::Action::Run);
        QCOMPARE(big.config().syncBatchBytes(), proto::kClientFrameBytes);
        QVERIFY(big.config().syncPage().bytes < proto::kClientFrameBytes);
        // A payload that fits the server's frame but not twice into a client's is refused.
        QCOMPARE(withLimits(frame, 5 * 1024 * 1024).action(), CommandLine::Action::Fail);
    }
};

QTEST_GUILESS_MAIN(tst_ServerCommandLine)
#include "tst_ServerCommandLine.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The delivery contract end to end: real server process, real engines with SQLCipher stores.
// Nothing lost, nothing twice, in seq order — across kills, restarts, drops and long absences.
#include "ChaosProxy.h"
#include "LiveTestKit.h"
#include "ServerProcess.h"
#include "TestClient.h"

#include <QFile>
#include <QSet>

using namespace chattermesh;
using namespace chattermesh::test;
using core::MessageState;

namespace {

// The (seq, id, sender, body) sequence a store holds for a conversation, as comparable rows.
QStringList transcript(TestClient &c, const QString &peer)
{
    QStringList rows;
    for (const auto &m : c.all(peer))
        rows << QStringLiteral("%1|%2|%3|%4")
                    .arg(m.seq)
                    .arg(QString::fromLatin1(m.clientMsgId.toHex()), m.sender, m.body);
    return rows;
}

bool seqsAreOneToN(const QList<core::StoredMessage> &msgs, qint64 n)
{
    if (msgs.size() != n)
        return false;
    for (qint64 i = 0; i < n; ++i)
        if (msgs[i].seq != i + 1)
            return false;
    return true;
}

} // namespace

class tst_Delivery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thousandBothWaysSameOrderOnBothSides()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;

        const QString canary
            = QStringLiteral("canary-%1-zebra-quartz").arg(QCoreApplication::applicationPid());
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("a%1 %2").arg(i).arg(canary)).ok());
            QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("b%1").arg(i)).ok());
        }
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), 2000, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(alice.all(QStringLiteral("bob")).size(), 2000, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(
            alice.countState(QStringLiteral("bob"), MessageState::Delivered), 1000, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(
            bob.countState(QStringLiteral("alice"), MessageState::Delivered), 1000, 60000);

        const QStringList a = transcript(alice, QStringLiteral("bob"));
        const QStringList b = transcript(bob, QStringLiteral("alice"));
        QCOMPARE(a, b);
        QVERIFY(seqsAreOneToN(alice.all(QStringLiteral("bob")), 2000));
        // Each side's own messages keep their send order within the shared seq order.
        int lastA = -1;
        for (const auto &m : bob.all(QStringLiteral("alice"))) {
            if (m.sender != u"alice")
                continue;
            const int n = m.body.section(QLatin1Char(' '), 0, 0).mid(1).toInt();
            QCOMPARE(n, lastA + 1);
            lastA = n;
        }
        QCOMPARE(bob.maxAnnouncements(), 1);
        QCOMPARE(alice->outboxSize(), 0);

        // The stores are SQLCipher files: the canary appears in none of them, WAL included.
        for (const QString &path : { alice.storePath(), bob.storePath() }) {
            for (const QString &f : { path, path + QStringLiteral("-wal") }) {
                QFile file(f);
                if (file.open(QIODevice::ReadOnly))
                    QVERIFY2(!file.readAll().contains(canary.toUtf8()), qPrintable(f));
            }
        }
    }

    void multiDeviceSeesEverything()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        TestClient alice1(dir.path(), QStringLiteral("alice1"), server.url());
        TestClient alice2(dir.path(), QStringLiteral("alice2"), server.url());
        TestClient bob(dir.path(), QStringLiteral("bob"), server.url());
        QVERIFY(alice1.signUp(QStringLiteral("alice")));
        QVERIFY(alice2.signUp(QStringLiteral("alice"), /*registerNew=*/false));
        QVERIFY(bob.signUp(QStringLiteral("bob")));
        QVERIFY(alice1->deviceId() != alice2->deviceId());

        for (int i = 0; i < 20; ++i)
            QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("from bob %1").arg(i)).ok());
        for (int i = 0; i < 20; ++i)
            QVERIFY(alice1->sendText(QStringLiteral("bob"), QStringLiteral("from alice1 %1").arg(i)).ok());
        for (int i = 0; i < 20; ++i)
            QVERIFY(alice2->sendText(QStringLiteral("bob"), QStringLiteral("from alice2 %1").arg(i)).ok());

        for (TestClient *c : { &alice1, &alice2 })
            QTRY_COMPARE_WITH_TIMEOUT(c->all(QStringLiteral("bob")).size(), 60, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), 60, 30000);
        QCOMPARE(transcript(alice1, QStringLiteral("bob")), transcript(bob, QStringLiteral("alice")));
        QCOMPARE(transcript(alice2, QStringLiteral("bob")), transcript(bob, QStringLiteral("alice")));
        // alice2 shows what alice1 sent as her own, and receipts reach both of her devices.
        int ownOnAlice2 = 0;
        for (const auto &m : alice2.all(QStringLiteral("bob")))
            ownOnAlice2 += m.outgoing && m.body.startsWith(u"from alice1");
        QCOMPARE(ownOnAlice2, 20);
        QTRY_COMPARE_WITH_TIMEOUT(
            alice2.countState(QStringLiteral("bob"), MessageState::Delivered), 40, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(
            alice1.countState(QStringLiteral("bob"), MessageState::Delivered), 40, 30000);
    }

    void serverKilledMidBurst()
    {
        ServerProcess server;
        QVERIFY(server.start());
        const quint16 port = server.port();
        const QString data = server.dataDir();
        QTemporaryDir dir;
        TestClient alice(dir.path(), QStringLiteral("alice"), server.url());
        TestClient bob(dir.path(), QStringLiteral("bob"), server.url());
        QVERIFY(alice.signUp(QStringLiteral("alice")));
        QVERIFY(bob.signUp(QStringLiteral("bob")));

        int acked = 0;
        QObject::connect(alice.engine(), &core::Engine::messageStateChanged, alice.engine(),
            [&](const core::StateChange &c) { acked += c.state == MessageState::Sent; });
        const int total = 600;
        for (int i = 0; i < total; ++i)
            QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("m%1").arg(i)).ok());
        QTRY_VERIFY_WITH_TIMEOUT(acked >= 50, 30000);
        server.kill(); // SIGKILL: no goodbye, no flush
        const int ackedBeforeKill = acked;
        QVERIFY(ackedBeforeKill < total || alice->outboxSize() == 0);

        ServerProcess again;
        QVERIFY(again.start(data, port));
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), total, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 60000);
        QVERIFY(seqsAreOneToN(bob.all(QStringLiteral("alice")), total));
        QCOMPARE(transcript(alice, QStringLiteral("bob")), transcript(bob, QStringLiteral("alice")));
        QCOMPARE(bob.maxAnnouncements(), 1);
        QCOMPARE(bob.announced(), qsizetype(total));
    }

    void twoHundredRandomDrops()
    {
        ServerProcess server;
        QVERIFY(server.start());
        ChaosProxy proxy(server.port(), /*seed=*/20261123, 400, 6000);
        QVERIFY(proxy.listen());
        const QUrl viaProxy(QStringLiteral("ws://127.0.0.1:%1").arg(proxy.port()));
        QTemporaryDir dir;
        TestClient alice(dir.path(), QStringLiteral("alice"), viaProxy);
        TestClient bob(dir.path(), QStringLiteral("bob"), viaProxy);
        proxy.setEnabled(false);
        QVERIFY(alice.signUp(QStringLiteral("alice")));
        QVERIFY(bob.signUp(QStringLiteral("bob")));
        proxy.setEnabled(true);

        int sent = 0;
        while (proxy.drops() < 200) {
            for (int i = 0; i < 10; ++i, ++sent) {
                QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("a%1").arg(sent)).ok());
                QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("b%1").arg(sent)).ok());
            }
            // Pace on events, not time: the next round once this one drained or the link was cut.
            const int dropsBefore = proxy.drops();
            QTRY_VERIFY_WITH_TIMEOUT(
                alice->outboxSize() + bob->outboxSize() < 10 || proxy.drops() > dropsBefore, 60000);
        }
        proxy.setEnabled(false);
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 120000);
        QTRY_COMPARE_WITH_TIMEOUT(bob->outboxSize(), 0, 120000);
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), 2 * sent, 120000);
        QTRY_COMPARE_WITH_TIMEOUT(alice.all(QStringLiteral("bob")).size(), 2 * sent, 120000);
        QVERIFY(seqsAreOneToN(bob.all(QStringLiteral("alice")), 2 * sent));
        QCOMPARE(transcript(alice, QStringLiteral("bob")), transcript(bob, QStringLiteral("alice")));
        QCOMPARE(alice.maxAnnouncements(), 1);
        QCOMPARE(bob.maxAnnouncements(), 1);
        QVERIFY(proxy.drops() >= 200);
        qInfo() << "drops:" << proxy.drops() << "messages:" << 2 * sent
                << "alice reconnects:" << alice->connection()->reconnects();
    }

    void offlineDeviceCatchesUpFiveThousandInOrder()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        bob.close();

        const int total = 5000;
        for (int i = 0; i < total; ++i)
            QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("m%1").arg(i)).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 60000);

        QVERIFY(bob.open());
        QVERIFY(bob.waitOnline(60000));
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), total, 60000);
        QVERIFY(seqsAreOneToN(bob.all(QStringLiteral("alice")), total));
        // Arrival order on the device was seq order: stored batch after batch, never reordered.
        const QList<qint64> order = bob.arrivalOrder();
        QCOMPARE(order.size(), total);
        for (int i = 0; i < total; ++i)
            QCOMPARE(order[i], qint64(i + 1));
        QTRY_COMPARE_WITH_TIMEOUT(
            alice.countState(QStringLiteral("bob"), MessageState::Delivered), total, 60000);
    }

    // A SyncBatch is bounded in bytes as well as entries: 500 entries near the payload limit would
    // be a 128 MiB frame, which the client refuses (its limit is 8 MiB), so it could never catch up.
    void syncBatchesStayWithinTheFrameLimit()
    {
        const qint64 frameLimit = 65536;
        ServerProcess server({ QStringLiteral("--kdf-iterations"), QStringLiteral("1000"),
            QStringLiteral("--max-frame-bytes"), QString::number(frameLimit),
            QStringLiteral("--max-payload-bytes"), QStringLiteral("16384") });
        QVERIFY(server.start());
        LiveTestKit kit(QStringLiteral("sb"));
        auto alice = kit.user(server, QStringLiteral("alice"));
        auto bob = kit.user(server, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const int total = 20;
        for (int i = 0; i < total; ++i) {
            const QByteArray body = QByteArray(16000, char('a' + i));
            const auto ack = alice->c().request(FrameBuilder::sendTo(bob->name, body, randomMsgId()));
            QVERIFY2(ack && ack->has_ack(), ack ? proto::bodyName(*ack) : "no answer");
        }
        // Nothing was acked, so the whole history is still in bob's mailbox.
        quint64 after = 0;
        int received = 0;
        int batches = 0;
        for (bool more = true; more; ++batches) {
            const auto batch = bob->c().request(FrameBuilder::sync(after));
            QVERIFY(batch && batch->has_sync_batch());
            QVERIFY2(proto::encodeFrame(*batch).size() <= frameLimit,
                qPrintable(QStringLiteral("a SyncBatch of %1 bytes").arg(proto::encodeFrame(*batch).size())));
            for (const proto::MailboxEntry &e : batch->sync_batch().entries()) {
                QVERIFY(e.has_message());
                QCOMPARE(e.inbox_seq(), after + 1);
                QCOMPARE(e.message().payload(), std::string(16000, char('a' + received)));
                after = e.inbox_seq();
                ++received;
            }
            more = batch->sync_batch().more();
            QVERIFY(!batch->sync_batch().entries().empty());
        }
        QCOMPARE(received, total);
        QVERIFY2(batches >= total * 16000 / int(frameLimit) + 1, "the bound should have split the mailbox");
    }

    // The same with real engines and the default limits: an offline device comes back to more than
    // its 8 MiB frame limit of large messages and catches up on all of them.
    void offlineDeviceCatchesUpMoreThanAFrameOfLargeMessages()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        bob.close();
        const int total = 50;
        for (int i = 0; i < total; ++i)
            QVERIFY(alice->sendText(QStringLiteral("bob"), QString(180000, QChar(u'a' + i % 26))).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 120000);

        QVERIFY(bob.open());
        QVERIFY(bob.waitOnline(60000));
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), total, 120000);
        const auto got = bob.all(QStringLiteral("alice"));
        QVERIFY(seqsAreOneToN(got, total));
        for (int i = 0; i < total; ++i)
            QCOMPARE(got[i].body, QString(180000, QChar(u'a' + i % 26)));
    }
};

QTEST_GUILESS_MAIN(tst_Delivery)
#include "tst_Delivery.moc"

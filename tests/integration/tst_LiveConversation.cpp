// SPDX-License-Identifier: GPL-3.0-or-later
// What moves between messages, through the real server with real engines: receipts (delivered and
// read, per device and per group member, across restarts and with receipts turned off), typing
// (with injected clocks: no test waits for time to pass) and presence with its privacy setting.
#include "Clock.h"
#include "ServerProcess.h"
#include "TestClient.h"

#include <QDateTime>
#include <QProcess>
#include <QSignalSpy>
#include <csignal>

using namespace chattermesh;
using namespace chattermesh::test;
using core::MessageState;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

MessageState stateOf(TestClient &c, const QByteArray &clientMsgId)
{
    const auto m = c->store().findMessage(clientMsgId);
    return m ? m->state : MessageState::Failed;
}

qint64 serverIdOf(TestClient &c, const QString &peer)
{
    auto list = c->conversations();
    if (list.ok())
        for (const auto &conv : list.value())
            if (conv.peer == peer)
                return conv.serverId;
    return 0;
}

qint64 lastSeqFrom(TestClient &c, const QString &peer)
{
    qint64 seq = 0;
    for (const auto &m : c.all(peer))
        seq = std::max(seq, m.seq);
    return seq;
}

// Records every state a message of `c` passes through, to prove states only move forward.
struct StateLog {
    QHash<QByteArray, QList<MessageState>> states;
    QObject context;
    explicit StateLog(TestClient &c)
    {
        QObject::connect(c.engine(), &core::Engine::messageStateChanged, &context,
            [this](const core::StateChange &s) { states[s.clientMsgId].append(s.state); });
    }
    bool monotonic() const
    {
        for (const auto &list : states)
            for (qsizetype i = 1; i < list.size(); ++i)
                if (list[i] < list[i - 1])
                    return false;
        return true;
    }
};

qint64 awaitGroup(TestClient &owner, const QString &title, const QStringList &members)
{
    qint64 group = 0;
    QObject ctx;
    QObject::connect(owner.engine(), &core::Engine::groupChanged, &ctx,
        [&](quint64, qint64 conv, qint64) { group = conv; });
    owner->createGroup(title, members);
    if (!QTest::qWaitFor([&] { return group > 0; }, 20000))
        qWarning("the group was not created");
    return group;
}

} // namespace

class tst_LiveConversation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliveredAndReadReachEverySenderDeviceAndSurviveRestarts()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        TestClient alice2(dir.path(), QStringLiteral("alice-laptop"), server.url());
        QVERIFY(alice2.signUp(QStringLiteral("alice"), false));
        StateLog log(alice);

        QList<QByteArray> ids;
        for (int i = 0; i < 3; ++i)
            ids << alice->sendText(QStringLiteral("bob"), QStringLiteral("m%1").arg(i)).value().clientMsgId;
        for (const QByteArray &id : std::as_const(ids)) {
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, id), MessageState::Delivered, 20000);
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice2, id), MessageState::Delivered, 20000);
        }
        const qint64 conv = serverIdOf(bob, QStringLiteral("alice"));
        QVERIFY(conv > 0);
        QCOMPARE(bob->unread(conv), 3);

        // Bob reads while his engine is down; the marker is kept and sent after sign-in. Alice's
        // laptop is closed meanwhile and catches up from its mailbox.
        alice2.close();
        bob.close();
        QVERIFY(bob.open());
        bob->markRead(conv, lastSeqFrom(bob, QStringLiteral("alice")));
        QCOMPARE(bob->unread(conv), 0);
        QVERIFY(bob.waitOnline());
        for (const QByteArray &id : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, id), MessageState::Read, 20000);
        QVERIFY(alice2.open());
        QVERIFY(alice2.waitOnline());
        for (const QByteArray &id : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice2, id), MessageState::Read, 20000);
        QVERIFY(log.monotonic());
        QCOMPARE(log.states.value(ids[0]).last(), MessageState::Read);

        // Both sides' views survive a restart.
        alice.close();
        bob.close();
        QVERIFY(alice.open());
        QVERIFY(bob.open());
        for (const QByteArray &id : std::as_const(ids))
            QCOMPARE(stateOf(alice, id), MessageState::Read);
        QCOMPARE(bob->unread(conv), 0);

        // A marker raised on one of bob's devices clears the count on his other one.
        TestClient bob2(dir.path(), QStringLiteral("bob-phone"), server.url());
        QVERIFY(bob2.signUp(QStringLiteral("bob"), false));
        QVERIFY(alice.waitOnline());
        QVERIFY(bob.waitOnline());
        alice->sendText(QStringLiteral("bob"), QStringLiteral("another"));
        QTRY_COMPARE_WITH_TIMEOUT(bob->unread(conv), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(bob2->unread(conv), 1, 20000);
        bob2->markRead(conv, lastSeqFrom(bob2, QStringLiteral("alice")));
        QTRY_COMPARE_WITH_TIMEOUT(bob->unread(conv), 0, 20000);
    }

    void groupReadByCountsFollowEachMember()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        TestClient carol(dir.path(), QStringLiteral("carol"), server.url());
        QVERIFY(carol.signUp(QStringLiteral("carol")));
        const qint64 group = awaitGroup(
            alice, QStringLiteral("Book club"), { QStringLiteral("bob"), QStringLiteral("carol") });
        QVERIFY(group > 0);
        QTRY_VERIFY_WITH_TIMEOUT(carol->group(group).has_value(), 20000);
        const auto sent = alice->sendGroupText(group, QStringLiteral("chapter 3?"));
        QVERIFY(sent.ok());
        const QByteArray id = sent.value().clientMsgId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, id), MessageState::Delivered, 20000);
        QCOMPARE(alice->receiptsOf(id).size(), 2);

        qint64 seq = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            (seq = stateOf(alice, id) == MessageState::Delivered ? alice->store().findMessage(id)->seq : 0)
                > 0,
            20000);
        bob->markRead(group, seq);
        QTRY_VERIFY_WITH_TIMEOUT(alice->receiptsOf(id).first().readMs > 0, 20000);
        auto receipts = alice->receiptsOf(id);
        QCOMPARE(receipts.first().username, QStringLiteral("bob"));
        QCOMPARE(receipts.last().readMs, 0); // carol has not read it
        QVERIFY(receipts.last().deliveredMs > 0);
        QCOMPARE(stateOf(alice, id), MessageState::Delivered); // read by 1 of 2

        carol->markRead(group, seq);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, id), MessageState::Read, 20000);
        receipts = alice->receiptsOf(id);
        QCOMPARE(receipts.size(), 2);
        QVERIFY(receipts[0].readMs > 0 && receipts[1].readMs >= receipts[0].readMs);
        QCOMPARE(receipts[1].username, QStringLiteral("carol"));
    }

    void readReceiptsOffIsHonouredBothWays()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        QSignalSpy settings(bob->live(), &core::LiveState::settingsChanged);
        bob->setPrivacy(proto::EVERYONE, true);
        QTRY_VERIFY_WITH_TIMEOUT(bob->live()->settings().read_receipts_off(), 20000);

        // Bob reads alice's message: alice never learns it.
        const QByteArray toBob
            = alice->sendText(QStringLiteral("bob"), QStringLiteral("ping")).value().clientMsgId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, toBob), MessageState::Delivered, 20000);
        const qint64 conv = serverIdOf(bob, QStringLiteral("alice"));
        bob->markRead(conv, lastSeqFrom(bob, QStringLiteral("alice")));
        QTRY_COMPARE_WITH_TIMEOUT(bob->unread(conv), 0, 20000);
        // Barrier: bob's reply is mailed to alice after any receipt his marker could have caused.
        const QByteArray toAlice
            = bob->sendText(QStringLiteral("alice"), QStringLiteral("pong")).value().clientMsgId;
        QTRY_COMPARE_WITH_TIMEOUT(alice.countState(QStringLiteral("bob"), MessageState::Received), 1, 20000);
        QCOMPARE(stateOf(alice, toBob), MessageState::Delivered);

        // Alice reads bob's reply: bob, who sends none, sees none either.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(bob, toAlice), MessageState::Delivered, 20000);
        alice->markRead(conv, lastSeqFrom(alice, QStringLiteral("bob")));
        QTRY_COMPARE_WITH_TIMEOUT(alice->unread(conv), 0, 20000);
        alice->sendText(QStringLiteral("bob"), QStringLiteral("barrier"));
        QTRY_COMPARE_WITH_TIMEOUT(bob.countState(QStringLiteral("alice"), MessageState::Received), 2, 20000);
        QCOMPARE(stateOf(bob, toAlice), MessageState::Delivered);

        // Turned back on, reading works again.
        bob->setPrivacy(proto::EVERYONE, false);
        QTRY_VERIFY_WITH_TIMEOUT(!bob->live()->settings().read_receipts_off(), 20000);
        alice->markRead(conv, lastSeqFrom(alice, QStringLiteral("bob")) + 0);
        bob->markRead(conv, lastSeqFrom(bob, QStringLiteral("alice")));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, toBob), MessageState::Read, 20000);
    }

    void typingAppearsRefreshesExpiresAndAggregates()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        sync::ManualClock aliceClock, bobClock;
        TestClient alice(dir.path(), QStringLiteral("alice"), server.url());
        TestClient bob(dir.path(), QStringLiteral("bob"), server.url());
        TestClient carol(dir.path(), QStringLiteral("carol"), server.url());
        TestClient dave(dir.path(), QStringLiteral("dave"), server.url());
        alice.options().clock = &aliceClock;
        bob.options().clock = &bobClock;
        for (auto [c, name] :
            { std::pair { &alice, "alice" }, { &bob, "bob" }, { &carol, "carol" }, { &dave, "dave" } })
            QVERIFY(c->signUp(QString::fromLatin1(name)));
        const qint64 group = awaitGroup(alice, QStringLiteral("Typists"),
            { QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave") });
        QVERIFY(group > 0);
        for (TestClient *c : { &bob, &carol, &dave })
            QTRY_VERIFY_WITH_TIMEOUT((*c)->group(group).has_value(), 20000);

        QSignalSpy frames(alice->connection(), &sync::Connection::frameReceived);
        const auto typingFrames = [&] {
            int n = 0;
            for (const auto &args : frames)
                n += args.at(0).value<proto::Frame>().has_typing();
            return n;
        };
        // Appears on the first keystroke.
        bob->composerChanged(group, QStringLiteral("h"));
        QTRY_COMPARE_WITH_TIMEOUT(
            alice->live()->typists(quint64(group)), QStringList { QStringLiteral("bob") }, 20000);
        QCOMPARE(typingFrames(), 1);
        // More keystrokes within 3 s send nothing; after 3 s one refresh goes out.
        bob->composerChanged(group, QStringLiteral("he"));
        bobClock.advance(3000);
        aliceClock.advance(4000);
        bob->composerChanged(group, QStringLiteral("hel"));
        QTRY_COMPARE_WITH_TIMEOUT(typingFrames(), 2, 20000);
        // 6 s after the first start but only 2 s after the refresh: still typing.
        aliceClock.advance(2000);
        alice->live()->tick();
        QCOMPARE(alice->live()->typists(quint64(group)), QStringList { QStringLiteral("bob") });
        // 6 s after the refresh with nothing new: gone.
        aliceClock.advance(4001);
        alice->live()->tick();
        QCOMPARE(alice->live()->typists(quint64(group)), QStringList {});

        // Three typists aggregate; sending stops one of them.
        bobClock.advance(10000);
        bob->composerChanged(group, QStringLiteral("again"));
        carol->composerChanged(group, QStringLiteral("c"));
        dave->composerChanged(group, QStringLiteral("d"));
        QTRY_COMPARE_WITH_TIMEOUT(alice->live()->typists(quint64(group)).size(), 3, 20000);
        QCOMPARE(core::TypingRoster::summary(alice->live()->typists(quint64(group))),
            QStringLiteral("3 people are typing…"));
        // Sending stops typing at once: the stop reaches alice as a Typing(false) of its own, not
        // only as the effect of the message arriving.
        const auto carolStopped = [&] {
            for (const auto &args : frames) {
                const auto f = args.at(0).value<proto::Frame>();
                if (f.has_typing() && f.typing().username() == "carol" && !f.typing().typing())
                    return true;
            }
            return false;
        };
        QVERIFY(!carolStopped());
        QVERIFY(carol->sendGroupText(group, QStringLiteral("done typing")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(carolStopped(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(alice->live()->typists(quint64(group)).size(), 2, 20000);
        QVERIFY(!alice->live()->typists(quint64(group)).contains(QStringLiteral("carol")));
        // Clearing the composer stops too.
        dave->composerChanged(group, QString());
        QTRY_COMPARE_WITH_TIMEOUT(
            alice->live()->typists(quint64(group)), QStringList { QStringLiteral("bob") }, 20000);
        QCOMPARE(core::TypingRoster::summary({ QStringLiteral("bob") }), QStringLiteral("bob is typing…"));
    }

    void presenceFollowsConnectionsAndPrivacy()
    {
        ServerProcess server({ QStringLiteral("--heartbeat-seconds"), QStringLiteral("1") });
        QVERIFY(server.start());
        QTemporaryDir dir;
        TestClient alice(dir.path(), QStringLiteral("alice"), server.url());
        QVERIFY(alice.signUp(QStringLiteral("alice")));
        // Carol runs in another process, so that she can be killed with no close frame.
        const QString carolStore = dir.filePath(QStringLiteral("carol-cli.db"));
        const auto cli = [&](const QStringList &rest) {
            return QStringList { QStringLiteral("--store"), carolStore, QStringLiteral("--passphrase"),
                QStringLiteral("pw-carol"), QStringLiteral("--server"), server.url().toString() }
            + rest;
        };
        QProcess reg;
        reg.start(QStringLiteral(CHATTERMESH_CLI_BIN),
            cli({ QStringLiteral("register"), QStringLiteral("carol"), kPassword }));
        QVERIFY(reg.waitForFinished(60000));
        QCOMPARE(reg.exitCode(), 0);
        QVERIFY(alice->sendText(QStringLiteral("carol"), QStringLiteral("hi carol")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(alice.countState(QStringLiteral("carol"), MessageState::Sent) == 1
                || alice.countState(QStringLiteral("carol"), MessageState::Delivered) == 1,
            20000);

        QProcess carol;
        carol.start(QStringLiteral(CHATTERMESH_CLI_BIN), cli({ QStringLiteral("listen") }));
        QVERIFY(carol.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(alice->live()->presence(QStringLiteral("carol")).online, 30000);
        // Frozen, not killed: the kernel keeps the TCP connection open and answers for it, but
        // nothing is read or sent any more, as with a phone that lost its network. Only the
        // heartbeat can tell (1 s here: silent for 3 s means gone, checked every second).
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(::kill(pid_t(carol.processId()), SIGSTOP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            !alice->live()->presence(QStringLiteral("carol")).online, 3000 + 1000 + 6000);
        const auto seen = alice->live()->presence(QStringLiteral("carol"));
        QVERIFY(seen.known && !seen.hidden);
        QVERIFY2(seen.lastSeenMs >= before - 2000 && seen.lastSeenMs <= QDateTime::currentMSecsSinceEpoch(),
            "last seen is when carol was last heard");
        carol.kill(); // and then kill -9 for good
        ::kill(pid_t(carol.processId()), SIGCONT);
        QVERIFY(carol.waitForFinished(10000));

        // Bob shares a conversation with alice and hides his presence.
        TestClient bob(dir.path(), QStringLiteral("bob"), server.url());
        QVERIFY(bob.signUp(QStringLiteral("bob")));
        QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("hello")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice.countState(QStringLiteral("bob"), MessageState::Received), 1, 20000);
        alice->live()->requestPresence({ QStringLiteral("bob") });
        QTRY_VERIFY_WITH_TIMEOUT(alice->live()->presence(QStringLiteral("bob")).online, 20000);
        bob->setPrivacy(proto::NOBODY, false);
        QTRY_COMPARE_WITH_TIMEOUT(bob->live()->settings().presence_visibility(), proto::NOBODY, 20000);
        alice->live()->requestPresence({ QStringLiteral("bob") });
        QTRY_VERIFY_WITH_TIMEOUT(alice->live()->presence(QStringLiteral("bob")).hidden, 20000);
        QVERIFY(!alice->live()->presence(QStringLiteral("bob")).online);
        QCOMPARE(alice->live()->presence(QStringLiteral("bob")).lastSeenMs, 0);
        // Offline now, and still nothing to see: wait for the answer to a fresh request.
        bob.close();
        QSignalSpy frames(alice->connection(), &sync::Connection::frameReceived);
        alice->live()->requestPresence({ QStringLiteral("bob") });
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(frames.cbegin(), frames.cend(),
                [](const QList<QVariant> &f) { return f.at(0).value<proto::Frame>().has_presence_list(); }),
            20000);
        QVERIFY(alice->live()->presence(QStringLiteral("bob")).hidden);
        QCOMPARE(alice->live()->presence(QStringLiteral("bob")).lastSeenMs, 0);
    }
};

QTEST_GUILESS_MAIN(tst_LiveConversation)
#include "tst_LiveConversation.moc"

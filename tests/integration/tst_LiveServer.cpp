// SPDX-License-Identifier: GPL-3.0-or-later
// The live conversation on the real server: read markers and READ receipts (and the setting that
// turns them off), settings sync, typing (forwarded live only, rate-limited) and presence (pushes on
// connect and close, the heartbeat drop, last seen, and the visibility setting), and the bound on
// typists forwarded at once per conversation.
#include "LiveTestKit.h"

#include <QDateTime>
#include <QElapsedTimer>

using namespace Qt::StringLiterals;
using namespace chattermesh;
using chattermesh::test::FrameBuilder;
using chattermesh::test::LiveTestKit;
using chattermesh::test::LiveUser;
using chattermesh::test::RawClient;
using chattermesh::test::ServerProcess;

namespace {

const QStringList kFastKdf { u"--kdf-iterations"_s, u"1000"_s };

int countReceipts(const std::vector<proto::MailboxEntry> &box, proto::ReceiptStatus status, const QString &by)
{
    int n = 0;
    for (const proto::MailboxEntry &e : box)
        if (e.has_receipt() && e.receipt().status() == status
            && QString::fromStdString(e.receipt().by_user()) == by)
            ++n;
    return n;
}

bool isTyping(const proto::Frame &f)
{
    return f.has_typing();
}

} // namespace

class tst_LiveServer : public QObject {
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    LiveTestKit m_kit { u"l"_s };

    quint64 createGroup(LiveUser &owner, const std::vector<LiveUser *> &others)
    {
        QStringList names;
        for (LiveUser *u : others)
            names << u->name;
        const auto ack = owner.c().request(LiveTestKit::createGroup(u"Live"_s, names));
        return ack && ack->has_ack() ? ack->ack().conversation_id() : 0;
    }

    quint64 sendTo(LiveUser &from, quint64 conversation, const char *text)
    {
        const auto ack
            = from.c().request(FrameBuilder::sendToConversation(conversation, text, test::randomMsgId()));
        return ack && ack->has_ack() ? ack->ack().seq() : 0;
    }

    // Replaces device i's connection with a fresh one resumed from its token, live again.
    bool reconnect(const ServerProcess &server, LiveUser &user, size_t i)
    {
        auto client = std::make_unique<RawClient>();
        if (!client->open(server.url()) || !client->hello()
            || !client->resume(QString::fromStdString(user.devices[i].session.token())))
            return false;
        user.devices[i].client = std::move(client);
        return LiveTestKit::goLive(*user.devices[i].client);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>(kFastKdf);
        QVERIFY(m_server->start());
    }

    void cleanupTestCase() { QCOMPARE(m_server->terminate(), 0); }

    void readMarkersAndReceipts()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s, 2);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        auto carol = m_kit.user(*m_server, u"carol"_s, 2);
        QVERIFY(alice && bob && carol);
        const quint64 group = createGroup(*alice, { &*bob, &*carol });
        QVERIFY(group);
        const quint64 m1 = sendTo(*bob, group, "one"), m2 = sendTo(*carol, group, "two"),
                      m3 = sendTo(*alice, group, "three");
        QVERIFY(m1 && m2 == m1 + 1 && m3 == m2 + 1);

        const auto marker = alice->c().request(LiveTestKit::markRead(group, m2));
        QVERIFY(marker && marker->has_read_marker());
        QCOMPARE(marker->read_marker().up_to_seq(), m2);
        QCOMPARE(marker->read_marker().conversation_id(), group);
        for (RawClient *c : { &bob->c(), &carol->c(0), &carol->c(1), &alice->c(1) }) {
            const auto r = LiveTestKit::waitFor(*c, LiveTestKit::receipt(proto::READ, alice->name));
            QVERIFY(r);
            QCOMPARE(r->deliver().entry().receipt().seq(), m2);
            QCOMPARE(r->deliver().entry().receipt().conversation_id(), group);
            QVERIFY(r->deliver().entry().receipt().client_msg_id().empty());
            QVERIFY(r->deliver().entry().receipt().time_ms() > 0);
        }
        // Never lowered; capped at the last seq; Alice's own message makes no receipt for others.
        const auto lower = alice->c().request(LiveTestKit::markRead(group, m1));
        QVERIFY(lower && lower->has_read_marker());
        QCOMPARE(lower->read_marker().up_to_seq(), m2);
        const auto capped = alice->c().request(LiveTestKit::markRead(group, 1000000));
        QCOMPARE(capped->read_marker().up_to_seq(), m3);
        const auto own = LiveTestKit::waitFor(alice->c(1), LiveTestKit::receipt(proto::READ, alice->name));
        QVERIFY(own);
        QCOMPARE(own->deliver().entry().receipt().seq(), m3);
        const auto bobBox = LiveTestKit::mailbox(bob->c());
        QVERIFY(bobBox);
        QCOMPARE(countReceipts(*bobBox, proto::READ, alice->name), 1);

        // read_receipts_off: Bob sends none and sees none.
        const auto off = bob->c().request(LiveTestKit::settings(proto::EVERYONE, true));
        QVERIFY(off && off->has_settings());
        QVERIFY(off->settings().read_receipts_off());
        const auto got = bob->c().request([] {
            proto::Frame f;
            f.mutable_get_settings();
            return f;
        }());
        QVERIFY(got && got->has_settings() && got->settings().read_receipts_off());
        const quint64 m4 = sendTo(*carol, group, "four"), m5 = sendTo(*bob, group, "five");
        QVERIFY(m4 && m5);
        QCOMPARE(alice->c().request(LiveTestKit::markRead(group, m5))->read_marker().up_to_seq(), m5);
        const auto toCarol = LiveTestKit::waitFor(carol->c(), [&](const proto::Frame &f) {
            return LiveTestKit::receipt(proto::READ, alice->name)(f)
                && f.deliver().entry().receipt().seq() == m5;
        });
        QVERIFY(toCarol);
        QCOMPARE(bob->c().request(LiveTestKit::markRead(group, m5))->read_marker().up_to_seq(), m5);
        const auto bobAfter = LiveTestKit::mailbox(bob->c());
        QCOMPARE(countReceipts(*bobAfter, proto::READ, alice->name), 1); // still only the first
        const auto carolBox = LiveTestKit::mailbox(carol->c());
        QCOMPARE(countReceipts(*carolBox, proto::READ, bob->name), 0);
        QCOMPARE(countReceipts(*carolBox, proto::READ, alice->name), 2);
    }

    void settingsReachOtherDevices()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s, 2);
        QVERIFY(alice);
        const auto answer = alice->c().request(LiveTestKit::settings(proto::CONTACTS, false));
        QVERIFY(answer && answer->has_settings());
        QCOMPARE(answer->settings().presence_visibility(), proto::CONTACTS);
        const auto pushed
            = LiveTestKit::waitFor(alice->c(1), [](const proto::Frame &f) { return f.has_settings(); });
        QVERIFY(pushed);
        QCOMPARE(pushed->request_id(), quint64(0));
        QCOMPARE(pushed->settings().presence_visibility(), proto::CONTACTS);
        proto::Frame bad = LiveTestKit::settings(proto::NOBODY, false);
        bad.mutable_update_settings()->mutable_settings()->set_presence_visibility(proto::Visibility(9));
        QCOMPARE(LiveTestKit::errorOf(alice->c().request(bad)), proto::INVALID_ARGUMENT);
    }

    void typingIsLiveOnlyAndRateLimited()
    {
        // No refill within the test: only the burst of 5 is exercised.
        ServerProcess server(kFastKdf + QStringList { u"--typing-rate"_s, u"0.001"_s });
        QVERIFY(server.start());
        LiveTestKit kit(u"t"_s);
        auto alice = kit.user(server, u"alice"_s, 2);
        auto bob = kit.user(server, u"bob"_s, 2);
        auto carol = kit.user(server, u"carol"_s);
        QVERIFY(alice && bob && carol);
        const quint64 group = createGroup(*alice, { &*bob, &*carol });
        QVERIFY(group);
        QVERIFY(bob->c(1).close()); // offline: it must never see the typing

        alice->c().send(LiveTestKit::typing(group, true));
        for (RawClient *c : { &bob->c(0), &carol->c() }) {
            const auto t = LiveTestKit::waitFor(*c, isTyping);
            QVERIFY(t);
            QCOMPARE(t->request_id(), quint64(0));
            QCOMPARE(t->typing().conversation_id(), group);
            QVERIFY(t->typing().typing());
            QCOMPARE(QString::fromStdString(t->typing().username()), alice->name);
        }
        // Not to the typist's own other device: it sees the next message and no typing before it.
        const quint64 seq = sendTo(*alice, group, "typed");
        QVERIFY(seq);
        const auto ownFrames = LiveTestKit::framesUntil(alice->c(1), LiveTestKit::messageWithSeq(group, seq));
        QVERIFY(!ownFrames.empty());
        QVERIFY(std::none_of(ownFrames.begin(), ownFrames.end(), isTyping));
        // Never stored: the offline device comes back and finds the message, no typing.
        QVERIFY(reconnect(server, *bob, 1));
        const auto box = LiveTestKit::mailbox(bob->c(1));
        QVERIFY(box && !box->empty());
        QCOMPARE(box->back().message().seq(), seq);
        bob->c(1).send(FrameBuilder::ping(5));
        const auto tail
            = LiveTestKit::framesUntil(bob->c(1), [](const proto::Frame &f) { return f.has_pong(); });
        QVERIFY(!tail.empty());
        QVERIFY(std::none_of(tail.begin(), tail.end(), isTyping));

        // Burst 5: four more pass, the next three are refused with their request ids.
        std::vector<quint64> ids;
        for (int i = 0; i < 7; ++i)
            ids.push_back(alice->c().send(LiveTestKit::typing(group, i % 2 == 0)));
        for (int i = 4; i < 7; ++i) {
            const auto refused = LiveTestKit::waitFor(
                alice->c(), [&](const proto::Frame &f) { return f.request_id() == ids[size_t(i)]; });
            QCOMPARE(LiveTestKit::errorOf(refused), proto::RATE_LIMITED);
        }
        const quint64 sentinel = sendTo(*alice, group, "sentinel");
        const auto carolFrames
            = LiveTestKit::framesUntil(carol->c(), LiveTestKit::messageWithSeq(group, sentinel));
        QVERIFY(!carolFrames.empty());
        QCOMPARE(std::count_if(carolFrames.begin(), carolFrames.end(), isTyping), 4);
    }

    void typingForwardsAtMostMaxTypists()
    {
        // Bound 2: of four typists who start, the reader is shown exactly the first two; a stop
        // frees a slot for the next start. No timing: each typist's Typing is known to be handled
        // once its following Ping is answered (one connection's frames are handled in order, and
        // slots are decided in that order), and the reader's frames are read up to a later message.
        ServerProcess server(kFastKdf + QStringList { u"--typing-max-typists"_s, u"2"_s });
        QVERIFY(server.start());
        LiveTestKit kit(u"k"_s);
        auto reader = kit.user(server, u"reader"_s);
        QVERIFY(reader);
        std::vector<LiveUser> typists;
        for (int i = 0; i < 4; ++i) {
            auto t = kit.user(server, u"typist"_s);
            QVERIFY(t);
            typists.push_back(std::move(*t));
        }
        std::vector<LiveUser *> others;
        for (LiveUser &t : typists)
            others.push_back(&t);
        const quint64 group = createGroup(*reader, others);
        QVERIFY(group);
        auto type = [&](LiveUser &u, bool on) {
            u.c().send(LiveTestKit::typing(group, on));
            const auto pong = u.c().request(FrameBuilder::ping(1));
            return pong && pong->has_pong(); // no error came first: nothing is refused with one
        };
        for (LiveUser &t : typists)
            QVERIFY(type(t, true));
        QVERIFY(type(typists[0], false)); // frees its slot
        QVERIFY(type(typists[2], true)); // now gets through
        QVERIFY(type(typists[3], true)); // still over the bound

        const quint64 sentinel = sendTo(typists[1], group, "sentinel");
        QVERIFY(sentinel);
        const auto frames
            = LiveTestKit::framesUntil(reader->c(), LiveTestKit::messageWithSeq(group, sentinel));
        QVERIFY(!frames.empty());
        std::vector<std::pair<QString, bool>> shown;
        for (const proto::Frame &f : frames)
            if (isTyping(f))
                shown.emplace_back(QString::fromStdString(f.typing().username()), f.typing().typing());
        const std::vector<std::pair<QString, bool>> expected { { typists[0].name, true },
            { typists[1].name, true }, { typists[0].name, false }, { typists[2].name, true } };
        QCOMPARE(shown, expected);
    }

    void presencePushesAndVisibility()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        auto carol = m_kit.user(*m_server, u"carol"_s);
        QVERIFY(alice && bob && carol);
        QVERIFY(bob->c().request(FrameBuilder::sendTo(alice->name, "hi", test::randomMsgId()))->has_ack());
        const quint64 group = createGroup(*alice, { &*bob, &*carol }); // Carol shares only the group
        QVERIFY(group);

        // EVERYONE: both Alice (1:1) and Carol (group) see Bob go and come back.
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(bob->c().close());
        for (RawClient *c : { &alice->c(), &carol->c() }) {
            const auto gone = LiveTestKit::waitFor(*c, LiveTestKit::presenceOf(bob->name));
            QVERIFY(gone);
            QVERIFY(!gone->presence().online());
            QVERIFY(gone->presence().last_seen_ms() >= before);
        }
        QVERIFY(reconnect(*m_server, *bob, 0));
        for (RawClient *c : { &alice->c(), &carol->c() }) {
            const auto back = LiveTestKit::waitFor(*c, LiveTestKit::presenceOf(bob->name));
            QVERIFY(back);
            QVERIFY(back->presence().online());
            QCOMPARE(back->presence().last_seen_ms(), qint64(0));
        }
        auto list = alice->c().request(LiveTestKit::getPresence({ bob->name, u"nosuchuser"_s }));
        QVERIFY(list && list->has_presence_list());
        QCOMPARE(list->presence_list().presence_size(), 1); // unknown names are left out
        QVERIFY(list->presence_list().presence(0).online());
        QVERIFY(!list->presence_list().presence(0).hidden());
        QStringList tooMany;
        for (int i = 0; i < 1025; ++i)
            tooMany << u"u%1"_s.arg(i);
        QCOMPARE(LiveTestKit::errorOf(alice->c().request(LiveTestKit::getPresence(tooMany))),
            proto::INVALID_ARGUMENT);

        // CONTACTS: Alice (1:1) still sees Bob, Carol (group only) no longer does.
        QVERIFY(bob->c().request(LiveTestKit::settings(proto::CONTACTS, false))->has_settings());
        QVERIFY(bob->c().close());
        QVERIFY(!LiveTestKit::waitFor(alice->c(), LiveTestKit::presenceOf(bob->name))->presence().online());
        QVERIFY(reconnect(*m_server, *bob, 0));
        QVERIFY(LiveTestKit::waitFor(alice->c(), LiveTestKit::presenceOf(bob->name))->presence().online());
        const quint64 seq = sendTo(*bob, group, "still here");
        const auto carolFrames
            = LiveTestKit::framesUntil(carol->c(), LiveTestKit::messageWithSeq(group, seq));
        QVERIFY(!carolFrames.empty());
        QVERIFY(std::none_of(carolFrames.begin(), carolFrames.end(), LiveTestKit::presenceOf(bob->name)));
        list = carol->c().request(LiveTestKit::getPresence({ bob->name }));
        QVERIFY(list->presence_list().presence(0).hidden());
        QVERIFY(!list->presence_list().presence(0).online());
        list = alice->c().request(LiveTestKit::getPresence({ bob->name }));
        QVERIFY(!list->presence_list().presence(0).hidden());

        // NOBODY: no pushes, hidden from GetPresence (last seen included); Bob still sees himself.
        QVERIFY(bob->c().request(LiveTestKit::settings(proto::NOBODY, false))->has_settings());
        QVERIFY(bob->c().close());
        QVERIFY(reconnect(*m_server, *bob, 0));
        const auto ack = bob->c().request(FrameBuilder::sendTo(alice->name, "hidden", test::randomMsgId()));
        QVERIFY(ack && ack->has_ack());
        const auto aliceFrames = LiveTestKit::framesUntil(
            alice->c(), LiveTestKit::messageWithSeq(ack->ack().conversation_id(), ack->ack().seq()));
        QVERIFY(!aliceFrames.empty());
        QVERIFY(std::none_of(aliceFrames.begin(), aliceFrames.end(), LiveTestKit::presenceOf(bob->name)));
        list = alice->c().request(LiveTestKit::getPresence({ bob->name }));
        QVERIFY(list->presence_list().presence(0).hidden());
        QCOMPARE(list->presence_list().presence(0).last_seen_ms(), qint64(0));
        list = bob->c().request(LiveTestKit::getPresence({ bob->name }));
        QVERIFY(!list->presence_list().presence(0).hidden());
        QVERIFY(list->presence_list().presence(0).online());
    }

    void silentConnectionDroppedByHeartbeat()
    {
        ServerProcess server(kFastKdf + QStringList { u"--heartbeat-seconds"_s, u"1"_s });
        QVERIFY(server.start());
        LiveTestKit kit(u"h"_s);
        auto alice = kit.user(server, u"alice"_s);
        auto bob = kit.user(server, u"bob"_s);
        QVERIFY(alice && bob);
        QVERIFY(bob->c().request(FrameBuilder::sendTo(alice->name, "hi", test::randomMsgId()))->has_ack());
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        // Bob now says nothing (as a half-open or killed client would); Alice keeps pinging.
        std::optional<proto::Frame> offline;
        QElapsedTimer waited, sincePing;
        waited.start();
        while (!offline && waited.elapsed() < 15000) {
            if (!sincePing.isValid() || sincePing.elapsed() >= 500) {
                alice->c().send(FrameBuilder::ping(1));
                sincePing.start();
            }
            const auto f = alice->c().next(300);
            if (f && LiveTestKit::presenceOf(bob->name)(*f) && !f->presence().online())
                offline = f;
        }
        QVERIFY2(offline, "no offline presence within the heartbeat bound");
        QVERIFY(waited.elapsed() <= 3 * 1000 + 1000 + 2000); // 3 x heartbeat, one check period, slack
        QVERIFY(offline->presence().last_seen_ms() >= before);
        QVERIFY(offline->presence().last_seen_ms() <= QDateTime::currentMSecsSinceEpoch());
        QVERIFY(bob->c().waitClosed());
        const auto list = alice->c().request(LiveTestKit::getPresence({ bob->name }));
        QVERIFY(list && list->has_presence_list());
        QVERIFY(!list->presence_list().presence(0).online());
        QCOMPARE(list->presence_list().presence(0).last_seen_ms(), offline->presence().last_seen_ms());
    }
};

QTEST_GUILESS_MAIN(tst_LiveServer)
#include "tst_LiveServer.moc"

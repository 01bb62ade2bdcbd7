// SPDX-License-Identifier: GPL-3.0-or-later
// Groups through the real server with real engines: roles enforced by the server, membership
// changes as system events, sender-key encryption, and a removed member locked out of what follows.
#include "ServerProcess.h"
#include "TestClient.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace chattermesh;
using namespace chattermesh::test;
using core::MessageKind;
using core::MessageState;

namespace {

QList<core::StoredMessage> groupMessages(TestClient &c, qint64 group)
{
    auto r = c->groupHistory(group, 0, 100000);
    return r.ok() ? r.value() : QList<core::StoredMessage> {};
}

int countText(TestClient &c, qint64 group, const QString &text)
{
    int n = 0;
    for (const auto &m : groupMessages(c, group))
        n += m.kind == MessageKind::Text && m.body == text;
    return n;
}

int countEvents(TestClient &c, qint64 group)
{
    int n = 0;
    for (const auto &m : groupMessages(c, group))
        n += m.kind == MessageKind::GroupEvent;
    return n;
}

// Waits for the answer to one group request: (error code or ERROR_NONE, seq of its event).
struct GroupAnswer {
    proto::ErrorCode code = proto::ERROR_NONE;
    qint64 conversation = 0;
    qint64 seq = 0;
    bool arrived = false;
};

GroupAnswer awaitAnswer(TestClient &c, quint64 requestId)
{
    GroupAnswer answer;
    if (requestId == 0)
        return answer;
    QObject ctx;
    QObject::connect(c.engine(), &core::Engine::groupChanged, &ctx, [&](quint64 id, qint64 conv, qint64 seq) {
        if (id == requestId)
            answer = { proto::ERROR_NONE, conv, seq, true };
    });
    QObject::connect(c.engine(), &core::Engine::groupRequestFailed, &ctx,
        [&](quint64 id, proto::ErrorCode code, const QString &) {
            if (id == requestId)
                answer = { code, 0, 0, true };
        });
    if (!QTest::qWaitFor([&] { return answer.arrived; }, 20000))
        qWarning("no answer to group request %llu", requestId);
    return answer;
}

core::GroupState stateOf(TestClient &c, qint64 group)
{
    return c->group(group).value_or(core::GroupState {});
}

proto::Role roleOf(const core::GroupState &g, const QString &user)
{
    for (const auto &m : g.members)
        if (m.username == user)
            return m.role;
    return proto::ROLE_NONE;
}

} // namespace

class tst_Groups : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void adminOperationsAndRefusalsAndARemovedMemberLockedOut()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        TestClient ana(dir.path(), QStringLiteral("ana"), server.url());
        TestClient ben(dir.path(), QStringLiteral("ben"), server.url());
        TestClient cat(dir.path(), QStringLiteral("cat"), server.url());
        QVERIFY(ana.signUp(QStringLiteral("ana")));
        QVERIFY(ben.signUp(QStringLiteral("ben")));
        QVERIFY(cat.signUp(QStringLiteral("cat")));

        const GroupAnswer created = awaitAnswer(ana,
            ana->createGroup(QStringLiteral("Climbing"), { QStringLiteral("ben"), QStringLiteral("cat") }));
        QVERIFY(created.arrived);
        QCOMPARE(created.code, proto::ERROR_NONE);
        const qint64 group = created.conversation;
        QVERIFY(group > 0);
        QCOMPARE(created.seq, 1);
        for (TestClient *c : { &ana, &ben, &cat }) {
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(*c, group).members.size(), 3, 20000);
            QCOMPARE(stateOf(*c, group).title, QStringLiteral("Climbing"));
            QCOMPARE(roleOf(stateOf(*c, group), QStringLiteral("ana")), proto::OWNER);
            QCOMPARE(roleOf(stateOf(*c, group), QStringLiteral("ben")), proto::MEMBER);
        }

        // Encrypted with sender keys, readable by every member.
        QVERIFY(ana->sendGroupText(group, QStringLiteral("first pitch")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(ben, group, QStringLiteral("first pitch")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(cat, group, QStringLiteral("first pitch")), 1, 20000);
        QVERIFY(ben->sendGroupText(group, QStringLiteral("on belay")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(ana, group, QStringLiteral("on belay")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(cat, group, QStringLiteral("on belay")), 1, 20000);

        // A plain member is refused, with the server's typed error, and nothing changes.
        QCOMPARE(
            awaitAnswer(ben, ben->renameGroup(group, QStringLiteral("Mine"))).code, proto::PERMISSION_DENIED);
        QCOMPARE(awaitAnswer(ben, ben->removeMembers(group, { QStringLiteral("cat") })).code,
            proto::PERMISSION_DENIED);
        QCOMPARE(awaitAnswer(ben, ben->setAdmin(group, QStringLiteral("ben"), true)).code,
            proto::PERMISSION_DENIED);
        QCOMPARE(awaitAnswer(ben, ben->setOnlyAdminsSend(group, true)).code, proto::PERMISSION_DENIED);
        QCOMPARE(stateOf(ana, group).title, QStringLiteral("Climbing"));

        // The owner promotes ben; ben, now an admin, renames.
        const GroupAnswer promoted = awaitAnswer(ana, ana->setAdmin(group, QStringLiteral("ben"), true));
        QCOMPARE(promoted.code, proto::ERROR_NONE);
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(stateOf(ben, group), QStringLiteral("ben")), proto::ADMIN, 20000);
        const GroupAnswer renamed = awaitAnswer(ben, ben->renameGroup(group, QStringLiteral("Crag")));
        QCOMPARE(renamed.code, proto::ERROR_NONE);
        QVERIFY(renamed.seq > promoted.seq);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(cat, group).title, QStringLiteral("Crag"), 20000);
        // An admin cannot remove the owner.
        QCOMPARE(awaitAnswer(ben, ben->removeMembers(group, { QStringLiteral("ana") })).code,
            proto::PERMISSION_DENIED);

        // Only admins send: cat's message fails visibly, ben's goes through.
        QCOMPARE(awaitAnswer(ana, ana->setOnlyAdminsSend(group, true)).code, proto::ERROR_NONE);
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(cat, group).onlyAdminsSend, 20000);
        QSignalSpy refused(cat.engine(), &core::Engine::sendFailed);
        QVERIFY(cat->sendGroupText(group, QStringLiteral("may I?")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 20000);
        QCOMPARE(refused.at(0).at(1).value<proto::ErrorCode>(), proto::PERMISSION_DENIED);
        QCOMPARE(awaitAnswer(ana, ana->setOnlyAdminsSend(group, false)).code, proto::ERROR_NONE);
        // The refused send carried cat's sender key; it never arrived, so the next one carries it
        // again and nobody has to ask for a retry.
        QTRY_VERIFY_WITH_TIMEOUT(!cat->group(group)->onlyAdminsSend, 20000);
        QSignalSpy anaFailures(ana.engine(), &core::Engine::decryptFailed);
        QSignalSpy benFailures(ben.engine(), &core::Engine::decryptFailed);
        QVERIFY(cat->sendGroupText(group, QStringLiteral("cat again")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(ana, group, QStringLiteral("cat again")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(ben, group, QStringLiteral("cat again")), 1, 20000);
        QCOMPARE(anaFailures.size(), 0);
        QCOMPARE(benFailures.size(), 0);

        // Removal: cat sees its own removal, then nothing more, and cannot read what follows.
        const GroupAnswer removed = awaitAnswer(ana, ana->removeMembers(group, { QStringLiteral("cat") }));
        QCOMPARE(removed.code, proto::ERROR_NONE);
        QTRY_VERIFY_WITH_TIMEOUT(!stateOf(cat, group).isMember, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(ben, group).members.size(), 2, 20000);
        // Every change is in every member's history: created, promoted, renamed, admins-only on
        // and off, removed.
        const int catEvents = countEvents(cat, group);
        QCOMPARE(catEvents, 6);
        QTRY_COMPARE_WITH_TIMEOUT(countEvents(ana, group), 6, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countEvents(ben, group), 6, 20000);
        QVERIFY(ana->sendGroupText(group, QStringLiteral("after cat left")).ok());
        QVERIFY(ben->sendGroupText(group, QStringLiteral("ben after cat left")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(ben, group, QStringLiteral("after cat left")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(ana, group, QStringLiteral("ben after cat left")), 1, 20000);
        // Barrier: a 1:1 message from ana to cat is queued in cat's mailbox after anything of the
        // group, so once it arrives cat would have received the group message too.
        QVERIFY(ana->sendText(QStringLiteral("cat"), QStringLiteral("barrier")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(cat.countState(QStringLiteral("ana"), MessageState::Received), 1, 20000);
        QCOMPARE(countText(cat, group, QStringLiteral("after cat left")), 0);
        QCOMPARE(countText(cat, group, QStringLiteral("ben after cat left")), 0);
        QCOMPARE(countEvents(cat, group), catEvents);
        // Cat's group send is refused locally now.
        QVERIFY(!cat->sendGroupText(group, QStringLiteral("still here?")).ok());

        // Even with the ciphertext in hand (taken from the server's own store), cat cannot read it.
        const qint64 seq = [&] {
            for (const auto &m : groupMessages(ana, group))
                if (m.body == QStringLiteral("after cat left"))
                    return m.seq;
            return qint64(0);
        }();
        QVERIFY(seq > removed.seq);
        const QByteArray row = ServerProcess::sql(server.dataDir(),
            QStringLiteral(
                "SELECT sender_device || '|' || hex(payload) FROM messages WHERE conversation_id = %1 "
                "AND seq = %2")
                .arg(group)
                .arg(seq));
        const QList<QByteArray> parts = row.split('|');
        QCOMPARE(parts.size(), 2);
        const QByteArray payload = QByteArray::fromHex(parts[1]);
        QVERIFY(payload.size() > 16);
        const auto stolen
            = cat->decryptGroupPayload(group, QStringLiteral("ana"), parts[0].toLongLong(), payload);
        QVERIFY(!stolen.ok());
        QCOMPARE(stolen.error().code, crypto::CryptoError::NoSession); // cat never got ana's new key
        // The same bytes are a message ben holds the key for: he already read it, so for him they
        // are a replay, which proves the row is the right one.
        const auto fair
            = ben->decryptGroupPayload(group, QStringLiteral("ana"), parts[0].toLongLong(), payload);
        QVERIFY(!fair.ok());
        QCOMPARE(fair.error().code, crypto::CryptoError::DuplicateMessage);
    }

    void aGroupIsHeldWhileAVerifiedMembersNewKeyAwaitsAcceptance()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        TestClient carol(dir.path(), QStringLiteral("carol"), server.url());
        QVERIFY(carol.signUp(QStringLiteral("carol")));
        const GroupAnswer created = awaitAnswer(alice,
            alice->createGroup(QStringLiteral("Held"), { QStringLiteral("bob"), QStringLiteral("carol") }));
        const qint64 group = created.conversation;
        QTRY_VERIFY_WITH_TIMEOUT(alice->group(group).has_value(), 20000);
        QVERIFY(alice->sendGroupText(group, QStringLiteral("before")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(carol, group, QStringLiteral("before")), 1, 20000);
        QVERIFY(alice->setVerified(QStringLiteral("bob"), true));

        // A new device appears on bob's account (his, or one the server slipped in).
        TestClient bob2(dir.path(), QStringLiteral("bob-new"), server.url());
        QVERIFY(bob2.signUp(QStringLiteral("bob"), false));
        QSignalSpy changed(alice.engine(), &core::Engine::identityChanged);
        const auto held = alice->sendGroupText(group, QStringLiteral("held"));
        QVERIFY(held.ok());
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 20000);
        QCOMPARE(changed.at(0).at(0).toString(), QStringLiteral("bob"));
        QVERIFY(changed.at(0).at(1).toBool());
        // Barrier: a later 1:1 message to carol arrives, the group message has not gone anywhere.
        QVERIFY(alice->sendText(QStringLiteral("carol"), QStringLiteral("barrier")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            carol.countState(QStringLiteral("alice"), MessageState::Received), 1, 20000);
        QCOMPARE(countText(carol, group, QStringLiteral("held")), 0);
        QCOMPARE(alice->store().findMessage(held.value().clientMsgId)->state, MessageState::Pending);

        QVERIFY(alice->acceptIdentity(QStringLiteral("bob")));
        QTRY_COMPARE_WITH_TIMEOUT(countText(carol, group, QStringLiteral("held")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob2, group, QStringLiteral("held")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, group, QStringLiteral("held")), 1, 20000);
    }

    void addedMemberReadsWhatFollowsAndLeaving()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        TestClient dan(dir.path(), QStringLiteral("dan"), server.url());
        QVERIFY(dan.signUp(QStringLiteral("dan")));
        const GroupAnswer created
            = awaitAnswer(alice, alice->createGroup(QStringLiteral("Trio"), { QStringLiteral("bob") }));
        QCOMPARE(created.code, proto::ERROR_NONE);
        const qint64 group = created.conversation;
        // The server's answer comes first; the group itself arrives with its CREATED event.
        QTRY_VERIFY_WITH_TIMEOUT(alice->group(group).has_value(), 20000);
        QVERIFY(alice->sendGroupText(group, QStringLiteral("before dan")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, group, QStringLiteral("before dan")), 1, 20000);

        QCOMPARE(
            awaitAnswer(alice, alice->addMembers(group, { QStringLiteral("dan") })).code, proto::ERROR_NONE);
        QCOMPARE(awaitAnswer(alice, alice->addMembers(group, { QStringLiteral("dan") })).code,
            proto::INVALID_ARGUMENT);
        QCOMPARE(awaitAnswer(alice, alice->addMembers(group, { QStringLiteral("nobody-here") })).code,
            proto::USER_NOT_FOUND);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(dan, group).members.size(), 3, 20000);
        QVERIFY(alice->sendGroupText(group, QStringLiteral("welcome dan")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(dan, group, QStringLiteral("welcome dan")), 1, 20000);
        QCOMPARE(
            countText(dan, group, QStringLiteral("before dan")), 0); // history before joining stays private

        // Bob leaves: the others re-key, bob reads nothing further.
        QCOMPARE(awaitAnswer(bob, bob->leaveGroup(group)).code, proto::ERROR_NONE);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(dan, group).members.size(), 2, 20000);
        QVERIFY(!stateOf(bob, group).isMember);
        QVERIFY(dan->sendGroupText(group, QStringLiteral("bye bob")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(alice, group, QStringLiteral("bye bob")), 1, 20000);
        QVERIFY(dan->sendText(QStringLiteral("bob"), QStringLiteral("barrier")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(bob.countState(QStringLiteral("dan"), MessageState::Received), 1, 20000);
        QCOMPARE(countText(bob, group, QStringLiteral("bye bob")), 0);
        // Dan re-keyed after bob left: bob cannot read dan's message from the server's store.
        qint64 byeSeq = 0;
        for (const auto &m : groupMessages(alice, group))
            if (m.body == QStringLiteral("bye bob"))
                byeSeq = m.seq;
        const QList<QByteArray> row = ServerProcess::sql(server.dataDir(),
            QStringLiteral(
                "SELECT sender_device || '|' || hex(payload) FROM messages WHERE conversation_id = %1 "
                "AND seq = %2")
                .arg(group)
                .arg(byeSeq))
                                          .split('|');
        QCOMPARE(row.size(), 2);
        const auto stolen = bob->decryptGroupPayload(
            group, QStringLiteral("dan"), row[0].toLongLong(), QByteArray::fromHex(row[1]));
        QCOMPARE(stolen.error().code, crypto::CryptoError::NoSession);
        QCOMPARE(awaitAnswer(bob, bob->renameGroup(group, QStringLiteral("back"))).code,
            proto::CONVERSATION_NOT_FOUND);
    }
};

QTEST_GUILESS_MAIN(tst_Groups)
#include "tst_Groups.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Groups on the real server: roles and permissions, changes as seq-numbered system events reaching
// every member device, the member limit, the send policy, sender-key sends and DELIVERED receipts.
#include "LiveTestKit.h"

using namespace Qt::StringLiterals;
using namespace chattermesh;
using chattermesh::test::FrameBuilder;
using chattermesh::test::LiveTestKit;
using chattermesh::test::LiveUser;
using chattermesh::test::ServerProcess;

namespace {

const QStringList kFastKdf { u"--kdf-iterations"_s, u"1000"_s };

proto::Role roleOf(const proto::GroupInfo &info, const QString &name)
{
    for (const proto::Member &m : info.members())
        if (QString::fromStdString(m.username()) == name)
            return m.role();
    return proto::ROLE_NONE;
}

} // namespace

class tst_GroupsServer : public QObject {
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    LiveTestKit m_kit { u"g"_s };

    // Creates a group of owner + others; every device of every member receives the CREATED event.
    quint64 createGroup(LiveUser &owner, const std::vector<LiveUser *> &others, bool onlyAdmins = false)
    {
        QStringList names;
        for (LiveUser *u : others)
            names << u->name;
        const auto ack = owner.c().request(LiveTestKit::createGroup(u"Team"_s, names, onlyAdmins));
        if (!ack || !ack->has_ack())
            return 0;
        const quint64 id = ack->ack().conversation_id();
        for (LiveUser *u : others)
            for (auto &d : u->devices)
                if (!LiveTestKit::waitFor(*d.client, LiveTestKit::messageWithSeq(id, ack->ack().seq())))
                    return 0;
        return id;
    }

    void expectError(test::RawClient &client, proto::Frame frame, proto::ErrorCode code)
    {
        const auto answer = client.request(std::move(frame));
        QVERIFY2(answer, "no answer");
        QVERIFY2(answer->has_error(), proto::bodyName(*answer));
        QCOMPARE(proto::ErrorCode_Name(answer->error().code()), proto::ErrorCode_Name(code));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>(kFastKdf);
        QVERIFY(m_server->start());
    }

    void cleanupTestCase() { QCOMPARE(m_server->terminate(), 0); }

    void adminOperationsReachEveryMemberDevice()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        auto carol = m_kit.user(*m_server, u"carol"_s, 2);
        auto dave = m_kit.user(*m_server, u"dave"_s);
        QVERIFY(alice && bob && carol && dave);

        const auto created
            = alice->c().request(LiveTestKit::createGroup(u"Team"_s, { bob->name, carol->name }));
        QVERIFY(created && created->has_ack());
        const quint64 group = created->ack().conversation_id();
        QCOMPARE(created->ack().seq(), quint64(1));
        QVERIFY(created->ack().client_msg_id().empty());
        for (test::RawClient *c : { &alice->c(), &bob->c(), &carol->c(0), &carol->c(1) }) {
            const auto event = LiveTestKit::waitFor(*c, LiveTestKit::messageWithSeq(group, 1));
            QVERIFY(event);
            const proto::Message &m = event->deliver().entry().message();
            QCOMPARE(m.conversation().kind(), proto::GROUP);
            QCOMPARE(m.conversation().members_size(), 0);
            QCOMPARE(m.event().op(), proto::CREATED);
            QCOMPARE(QString::fromStdString(m.event().actor()), alice->name);
            QVERIFY(m.payload().empty());
            QCOMPARE(m.event().state().members_size(), 3);
            QCOMPARE(roleOf(m.event().state(), alice->name), proto::OWNER);
            QCOMPARE(roleOf(m.event().state(), bob->name), proto::MEMBER);
        }

        // Owner promotes Bob; Bob, now an admin, renames, adds Dave, removes Carol.
        const auto promoted = alice->c().request(LiveTestKit::change(group, proto::PROMOTED, { bob->name }));
        QVERIFY(promoted && promoted->has_ack());
        QCOMPARE(promoted->ack().seq(), quint64(2));
        QVERIFY(promoted->ack().server_time_ms() > 0);
        const auto renamed = bob->c().request(LiveTestKit::rename(group, u"Renamed"_s));
        QVERIFY(renamed && renamed->has_ack());
        QCOMPARE(renamed->ack().seq(), quint64(3));
        const auto added = bob->c().request(LiveTestKit::change(group, proto::ADDED, { dave->name }));
        QVERIFY(added && added->has_ack());
        QCOMPARE(added->ack().seq(), quint64(4));
        const auto removed = bob->c().request(LiveTestKit::change(group, proto::REMOVED, { carol->name }));
        QVERIFY(removed && removed->has_ack());
        QCOMPARE(removed->ack().seq(), quint64(5));

        for (test::RawClient *c : { &alice->c(), &bob->c() }) {
            for (quint64 seq : { 2, 3, 4, 5 })
                QVERIFY(LiveTestKit::waitFor(*c, LiveTestKit::messageWithSeq(group, seq)));
        }
        const auto daveAdded = LiveTestKit::waitFor(dave->c(), LiveTestKit::messageWithSeq(group, 4));
        QVERIFY(daveAdded);
        QCOMPARE(daveAdded->deliver().entry().message().event().op(), proto::ADDED);
        QCOMPARE(daveAdded->deliver().entry().message().event().state().title(), std::string("Renamed"));
        QCOMPARE(roleOf(daveAdded->deliver().entry().message().event().state(), bob->name), proto::ADMIN);
        QVERIFY(LiveTestKit::waitFor(dave->c(), LiveTestKit::messageWithSeq(group, 5)));
        // Carol's devices see everything up to and including her own removal.
        for (size_t i = 0; i < 2; ++i) {
            const auto gone = LiveTestKit::waitFor(carol->c(i), LiveTestKit::messageWithSeq(group, 5));
            QVERIFY(gone);
            QCOMPARE(gone->deliver().entry().message().event().op(), proto::REMOVED);
            QCOMPARE(
                roleOf(gone->deliver().entry().message().event().state(), carol->name), proto::ROLE_NONE);
        }

        const auto info = dave->c().request(LiveTestKit::getGroup(group));
        QVERIFY(info && info->has_group_info());
        QCOMPARE(info->group_info().title(), std::string("Renamed"));
        QCOMPARE(info->group_info().members_size(), 3);

        // A message after the removal reaches the members, not Carol.
        const auto sent
            = alice->c().request(FrameBuilder::sendToConversation(group, "after", test::randomMsgId()));
        QVERIFY(sent && sent->has_ack());
        QCOMPARE(sent->ack().seq(), quint64(6));
        for (test::RawClient *c : { &bob->c(), &dave->c() }) {
            const auto m = LiveTestKit::waitFor(*c, LiveTestKit::messageWithSeq(group, 6));
            QVERIFY(m);
            QCOMPARE(m->deliver().entry().message().payload(), std::string("after"));
            QCOMPARE(m->deliver().entry().message().conversation().kind(), proto::GROUP);
        }
        for (size_t i = 0; i < 2; ++i) {
            const auto box = LiveTestKit::mailbox(carol->c(i));
            QVERIFY(box);
            QVERIFY(!box->empty());
            QCOMPARE(box->back().message().seq(), quint64(5));
            for (const proto::MailboxEntry &e : *box)
                QVERIFY(e.message().seq() <= 5);
        }
        expectError(carol->c(), LiveTestKit::getGroup(group), proto::CONVERSATION_NOT_FOUND);
        expectError(carol->c(), FrameBuilder::sendToConversation(group, "x", test::randomMsgId()),
            proto::CONVERSATION_NOT_FOUND);
        expectError(carol->c(), LiveTestKit::typing(group), proto::CONVERSATION_NOT_FOUND);
    }

    void plainMemberIsRefused()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        auto carol = m_kit.user(*m_server, u"carol"_s);
        auto eve = m_kit.user(*m_server, u"eve"_s);
        QVERIFY(alice && bob && carol && eve);
        const quint64 group = createGroup(*alice, { &*bob, &*carol });
        QVERIFY(group);
        expectError(carol->c(), LiveTestKit::rename(group, u"mine"_s), proto::PERMISSION_DENIED);
        expectError(
            carol->c(), LiveTestKit::change(group, proto::ADDED, { eve->name }), proto::PERMISSION_DENIED);
        expectError(
            carol->c(), LiveTestKit::change(group, proto::REMOVED, { bob->name }), proto::PERMISSION_DENIED);
        expectError(carol->c(), LiveTestKit::change(group, proto::PROMOTED, { carol->name }),
            proto::PERMISSION_DENIED);
        expectError(carol->c(), LiveTestKit::change(group, proto::DEMOTED, { alice->name }),
            proto::PERMISSION_DENIED);
        expectError(carol->c(), LiveTestKit::sendPolicy(group, true), proto::PERMISSION_DENIED);

        // An admin cannot remove or demote the owner.
        QVERIFY(alice->c().request(LiveTestKit::change(group, proto::PROMOTED, { bob->name }))->has_ack());
        expectError(
            bob->c(), LiveTestKit::change(group, proto::REMOVED, { alice->name }), proto::PERMISSION_DENIED);
        expectError(
            bob->c(), LiveTestKit::change(group, proto::DEMOTED, { alice->name }), proto::PERMISSION_DENIED);
        expectError(alice->c(), LiveTestKit::change(group, proto::REMOVED, { alice->name }),
            proto::PERMISSION_DENIED);

        // Bad arguments.
        expectError(
            bob->c(), LiveTestKit::change(group, proto::ADDED, { carol->name }), proto::INVALID_ARGUMENT);
        expectError(
            bob->c(), LiveTestKit::change(group, proto::REMOVED, { eve->name }), proto::INVALID_ARGUMENT);
        expectError(
            bob->c(), LiveTestKit::change(group, proto::PROMOTED, { eve->name }), proto::INVALID_ARGUMENT);
        expectError(
            bob->c(), LiveTestKit::change(group, proto::ADDED, { u"nosuchuser"_s }), proto::USER_NOT_FOUND);
        expectError(bob->c(), LiveTestKit::rename(group, QString()), proto::INVALID_ARGUMENT);
        expectError(bob->c(), LiveTestKit::rename(group, QString(129, u'x')), proto::INVALID_ARGUMENT);
        expectError(alice->c(), LiveTestKit::createGroup(QString(), { bob->name }), proto::INVALID_ARGUMENT);
        expectError(alice->c(), LiveTestKit::createGroup(u"t"_s, { u"nosuchuser"_s }), proto::USER_NOT_FOUND);

        // A non-member learns nothing about the group.
        expectError(eve->c(), LiveTestKit::change(group, proto::LEFT), proto::CONVERSATION_NOT_FOUND);
        expectError(eve->c(), LiveTestKit::rename(group, u"x"_s), proto::CONVERSATION_NOT_FOUND);
        expectError(eve->c(), LiveTestKit::getGroup(group), proto::CONVERSATION_NOT_FOUND);
        expectError(eve->c(), LiveTestKit::markRead(group, 1), proto::CONVERSATION_NOT_FOUND);
        expectError(eve->c(), LiveTestKit::typing(group), proto::CONVERSATION_NOT_FOUND);
        expectError(eve->c(), FrameBuilder::sendToConversation(group, "x", test::randomMsgId()),
            proto::CONVERSATION_NOT_FOUND);
        // Nothing above changed the group: the next event is seq 3 (1 created, 2 promoted).
        const auto left = carol->c().request(LiveTestKit::change(group, proto::LEFT));
        QVERIFY(left && left->has_ack());
        QCOMPARE(left->ack().seq(), quint64(3));
    }

    void ownerLeavingPassesOwnership()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        auto carol = m_kit.user(*m_server, u"carol"_s);
        QVERIFY(alice && bob && carol);
        const quint64 group = createGroup(*alice, { &*bob, &*carol });
        QVERIFY(group);
        QVERIFY(alice->c().request(LiveTestKit::change(group, proto::PROMOTED, { carol->name }))->has_ack());
        const auto left = alice->c().request(LiveTestKit::change(group, proto::LEFT));
        QVERIFY(left && left->has_ack());
        const auto event
            = LiveTestKit::waitFor(alice->c(), LiveTestKit::messageWithSeq(group, left->ack().seq()));
        QVERIFY(event);
        const proto::GroupEvent &e = event->deliver().entry().message().event();
        QCOMPARE(e.op(), proto::LEFT);
        QCOMPARE(QString::fromStdString(e.usernames(0)), alice->name);
        QCOMPARE(roleOf(e.state(), carol->name), proto::OWNER); // the admin, though Bob joined as early
        QCOMPARE(roleOf(e.state(), bob->name), proto::MEMBER);
        QCOMPARE(roleOf(e.state(), alice->name), proto::ROLE_NONE);
    }

    void groupFull()
    {
        ServerProcess server(kFastKdf + QStringList { u"--max-group-members"_s, u"3"_s });
        QVERIFY(server.start());
        LiveTestKit kit(u"f"_s);
        auto a = kit.user(server, u"a"_s), b = kit.user(server, u"b"_s), c = kit.user(server, u"c"_s),
             d = kit.user(server, u"d"_s);
        QVERIFY(a && b && c && d);
        expectError(
            a->c(), LiveTestKit::createGroup(u"big"_s, { b->name, c->name, d->name }), proto::GROUP_FULL);
        const auto created = a->c().request(LiveTestKit::createGroup(u"ok"_s, { b->name, c->name }));
        QVERIFY(created && created->has_ack());
        const quint64 group = created->ack().conversation_id();
        expectError(a->c(), LiveTestKit::change(group, proto::ADDED, { d->name }), proto::GROUP_FULL);
        QVERIFY(a->c().request(LiveTestKit::change(group, proto::REMOVED, { c->name }))->has_ack());
        QVERIFY(a->c().request(LiveTestKit::change(group, proto::ADDED, { d->name }))->has_ack());
    }

    void onlyAdminsSend()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        QVERIFY(alice && bob);
        const quint64 group = createGroup(*alice, { &*bob }, true);
        QVERIFY(group);
        expectError(bob->c(), FrameBuilder::sendToConversation(group, "hi", test::randomMsgId()),
            proto::PERMISSION_DENIED);
        const auto byAdmin
            = alice->c().request(FrameBuilder::sendToConversation(group, "hi", test::randomMsgId()));
        QVERIFY(byAdmin && byAdmin->has_ack());
        QVERIFY(alice->c().request(LiveTestKit::sendPolicy(group, false))->has_ack());
        const auto byMember
            = bob->c().request(FrameBuilder::sendToConversation(group, "hi", test::randomMsgId()));
        QVERIFY(byMember && byMember->has_ack());
        QVERIFY(LiveTestKit::waitFor(alice->c(), LiveTestKit::messageWithSeq(group, byMember->ack().seq())));
    }

    void senderKeySend()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        auto carol = m_kit.user(*m_server, u"carol"_s, 2);
        QVERIFY(alice && bob && carol);
        for (test::RawClient *c : { &alice->c(), &bob->c(), &carol->c(0), &carol->c(1) })
            QVERIFY(c->request(LiveTestKit::uploadKeys())->has_keys_uploaded());
        const quint64 group = createGroup(*alice, { &*bob, &*carol });
        QVERIFY(group);
        auto senderKey = [&](const std::vector<quint64> &covered, const std::vector<quint64> &keyed) {
            proto::Frame f = FrameBuilder::sendToConversation(group, "sk-ciphertext", test::randomMsgId());
            f.mutable_send()->set_payload_type(4);
            for (quint64 d : covered)
                f.mutable_send()->add_covered_devices(d);
            for (quint64 d : keyed) {
                proto::DevicePayload *k = f.mutable_send()->add_key_distributions();
                k->set_device_id(d);
                k->set_type(3);
                k->set_ciphertext("skdm-for-" + std::to_string(d));
            }
            return f;
        };
        // Carol's second device is missing; an unknown device is extra.
        const auto stale = alice->c().request(senderKey({ bob->device(), carol->device(0), 999999 }, {}));
        QCOMPARE(LiveTestKit::errorOf(stale), proto::STALE_DEVICES);
        const proto::DeviceMismatch &mismatch = stale->error().mismatch();
        QCOMPARE(mismatch.missing_size(), 1);
        QCOMPARE(QString::fromStdString(mismatch.missing(0).username()), carol->name);
        QCOMPARE(mismatch.missing(0).device_ids(0), carol->device(1));
        QCOMPARE(mismatch.extra_size(), 1);
        QCOMPARE(mismatch.extra(0).device_ids(0), quint64(999999));
        // A key distribution must go to a covered device.
        const auto uncovered
            = alice->c().request(senderKey({ bob->device(), carol->device(0) }, { carol->device(1) }));
        QCOMPARE(LiveTestKit::errorOf(uncovered), proto::INVALID_ARGUMENT);

        const auto ok = alice->c().request(
            senderKey({ bob->device(), carol->device(0), carol->device(1) }, { carol->device(1) }));
        QVERIFY(ok && ok->has_ack());
        const auto toBob
            = LiveTestKit::waitFor(bob->c(), LiveTestKit::messageWithSeq(group, ok->ack().seq()));
        QVERIFY(toBob);
        QCOMPARE(toBob->deliver().entry().message().payload(), std::string("sk-ciphertext"));
        QCOMPARE(toBob->deliver().entry().message().payload_type(), 4u);
        QVERIFY(!toBob->deliver().entry().message().has_key_distribution());
        const auto toCarol
            = LiveTestKit::waitFor(carol->c(1), LiveTestKit::messageWithSeq(group, ok->ack().seq()));
        QVERIFY(toCarol);
        const proto::Message &m = toCarol->deliver().entry().message();
        QCOMPARE(m.payload(), std::string("sk-ciphertext"));
        QCOMPARE(m.key_distribution().device_id(), carol->device(1));
        QCOMPARE(m.key_distribution().ciphertext(), "skdm-for-" + std::to_string(carol->device(1)));
        // The same from the store (Sync), for the device with and the one without a distribution.
        const auto box = LiveTestKit::mailbox(carol->c(1));
        QVERIFY(box && !box->empty());
        QCOMPARE(box->back().message().key_distribution().device_id(), carol->device(1));
        QCOMPARE(box->back().message().payload_type(), 4u);
        const auto box0 = LiveTestKit::mailbox(carol->c(0));
        QVERIFY(box0 && !box0->empty());
        QVERIFY(!box0->back().message().has_key_distribution());
        QCOMPARE(box0->back().message().payload(), std::string("sk-ciphertext"));
    }

    void deliveredReceiptsInGroup()
    {
        auto alice = m_kit.user(*m_server, u"alice"_s);
        auto bob = m_kit.user(*m_server, u"bob"_s);
        auto carol = m_kit.user(*m_server, u"carol"_s, 2);
        QVERIFY(alice && bob && carol);
        const quint64 group = createGroup(*alice, { &*bob, &*carol });
        QVERIFY(group);
        const QByteArray id = test::randomMsgId();
        const auto sent = alice->c().request(FrameBuilder::sendToConversation(group, "hello group", id));
        QVERIFY(sent && sent->has_ack());
        const quint64 seq = sent->ack().seq();
        // Every recipient device stores everything it got (system event included) and acks it.
        for (test::RawClient *c : { &bob->c(), &carol->c(0), &carol->c(1) }) {
            const auto m = LiveTestKit::waitFor(*c, LiveTestKit::messageWithSeq(group, seq));
            QVERIFY(m);
            c->send(FrameBuilder::deliveryAck(m->deliver().entry().inbox_seq()));
            QVERIFY(c->request(FrameBuilder::ping(1))->has_pong());
        }
        for (const QString &by : { bob->name, carol->name }) {
            const auto r = LiveTestKit::waitFor(alice->c(), LiveTestKit::receipt(proto::DELIVERED, by));
            QVERIFY(r);
            QCOMPARE(r->deliver().entry().receipt().seq(), seq);
            QCOMPARE(r->deliver().entry().receipt().client_msg_id(), id.toStdString());
        }
        // Once per recipient user, none for the CREATED event.
        const auto box = LiveTestKit::mailbox(alice->c());
        QVERIFY(box);
        int receipts = 0;
        for (const proto::MailboxEntry &e : *box) {
            if (!e.has_receipt())
                continue;
            ++receipts;
            QCOMPARE(e.receipt().seq(), seq);
        }
        QCOMPARE(receipts, 2);
    }
};

QTEST_GUILESS_MAIN(tst_GroupsServer)
#include "tst_GroupsServer.moc"

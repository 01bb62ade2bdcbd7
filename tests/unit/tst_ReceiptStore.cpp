// SPDX-License-Identifier: GPL-3.0-or-later
// Receipts, read markers and group state in the real SQLCipher store: states only move forward,
// receipts that overtake an ack are not lost, group messages count each member, unread counts.
#include "MessageStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh;
using namespace chattermesh::core;

namespace {

const QString kMe = QStringLiteral("alice");

InboundItem receipt(quint64 inboxSeq, quint64 conv, quint64 seq, const QByteArray &id, const char *by,
    proto::ReceiptStatus status, qint64 timeMs)
{
    InboundItem i;
    i.entry.set_inbox_seq(inboxSeq);
    auto *r = i.entry.mutable_receipt();
    r->set_conversation_id(conv);
    r->set_seq(seq);
    r->set_client_msg_id(id.toStdString());
    r->set_by_user(by);
    r->set_status(status);
    r->set_time_ms(timeMs);
    return i;
}

InboundItem groupCreated(quint64 inboxSeq, quint64 conv, const QStringList &members)
{
    InboundItem i;
    i.body = InboundItem::Body::GroupEvent;
    i.entry.set_inbox_seq(inboxSeq);
    auto *m = i.entry.mutable_message();
    m->mutable_conversation()->set_conversation_id(conv);
    m->mutable_conversation()->set_kind(proto::GROUP);
    m->set_seq(1);
    m->set_sender(kMe.toStdString());
    auto *e = m->mutable_event();
    e->set_op(proto::CREATED);
    e->set_actor(kMe.toStdString());
    e->mutable_state()->set_conversation_id(conv);
    e->mutable_state()->set_title("Team");
    for (const QString &u : members) {
        auto *member = e->mutable_state()->add_members();
        member->set_username(u.toStdString());
        member->set_role(u == kMe ? proto::OWNER : proto::MEMBER);
    }
    return i;
}

InboundItem incoming(quint64 inboxSeq, quint64 conv, quint64 seq, const char *sender)
{
    InboundItem i;
    i.entry.set_inbox_seq(inboxSeq);
    auto *m = i.entry.mutable_message();
    m->mutable_conversation()->set_conversation_id(conv);
    m->mutable_conversation()->add_members("alice");
    m->mutable_conversation()->add_members(sender);
    m->set_seq(seq);
    m->set_sender(sender);
    m->set_sender_device(2);
    m->set_client_msg_id(QByteArray::number(inboxSeq).rightJustified(16, 'i').toStdString());
    i.text = QStringLiteral("hi");
    return i;
}

MessageState stateOf(MessageStore &s, const QByteArray &id)
{
    return s.findMessage(id)->state;
}

} // namespace

class tst_ReceiptStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    bool open(MessageStore &s)
    {
        return s
            .open(m_dir.filePath(QStringLiteral("r%1.db").arg(++m_files)),
                DbKey::passphrase(QStringLiteral("k")))
            .ok();
    }

private Q_SLOTS:
    void directReadThatOvertakesTheAckIsAppliedWithIt()
    {
        MessageStore s;
        QVERIFY(open(s));
        const QByteArray id(16, 'a');
        QVERIFY(s.composeText(kMe, QStringLiteral("bob"), QStringLiteral("x"), {}, id, 10).ok());
        // My first message to bob: the server stored it as seq 2, bob delivered and read it, and
        // those receipts arrive before the ack (a reconnect syncs before the send is retried).
        auto in = s.applyInbound({ receipt(1, 7, 2, id, "bob", proto::DELIVERED, 20),
                                     receipt(2, 7, 2, {}, "bob", proto::READ, 30) },
            2, kMe);
        QVERIFY(in.ok());
        QCOMPARE(stateOf(s, id), MessageState::Delivered); // the read marker needs the seq
        auto acks = s.applyAcks({ { id, 7, 2, 12 } });
        QVERIFY(acks.ok());
        QCOMPARE(stateOf(s, id), MessageState::Read);
        QCOMPARE(acks.value().last().state, MessageState::Read);
        // A later, lower marker changes nothing: never backwards.
        QVERIFY(s.applyInbound({ receipt(3, 7, 1, {}, "bob", proto::READ, 40) }, 3, kMe).ok());
        QCOMPARE(stateOf(s, id), MessageState::Read);
    }

    void groupMessageIsReadWhenEveryMemberRead()
    {
        MessageStore s;
        QVERIFY(open(s));
        QVERIFY(s.applyInbound(
                     { groupCreated(1, 9, { kMe, QStringLiteral("bob"), QStringLiteral("carol") }) }, 1, kMe)
                    .ok());
        const QByteArray id(16, 'g');
        QVERIFY(s.composeGroup(kMe, 9, QStringLiteral("x"), {}, MessageKind::Text, id, 10).ok());
        const qint64 local = s.findMessage(id)->localId;
        QCOMPARE(s.receipts().receiptsOf(local).size(), 2);
        // Both delivered before the ack: still pending until the server confirms it.
        QVERIFY(s.applyInbound({ receipt(2, 9, 2, id, "bob", proto::DELIVERED, 20),
                                   receipt(3, 9, 2, id, "carol", proto::DELIVERED, 21) },
                     3, kMe)
                    .ok());
        QCOMPARE(stateOf(s, id), MessageState::Pending);
        QVERIFY(s.applyAcks({ { id, 9, 2, 15 } }).ok());
        QCOMPARE(stateOf(s, id), MessageState::Delivered);
        QVERIFY(s.applyInbound({ receipt(4, 9, 2, {}, "bob", proto::READ, 30) }, 4, kMe).ok());
        QCOMPARE(stateOf(s, id), MessageState::Delivered); // read by 1 of 2
        const auto receipts = s.receipts().receiptsOf(local);
        QCOMPARE(receipts.first().username, QStringLiteral("bob"));
        QCOMPARE(receipts.first().readMs, 30);
        QCOMPARE(receipts.last().readMs, 0);
        QVERIFY(s.applyInbound({ receipt(5, 9, 3, {}, "carol", proto::READ, 35) }, 5, kMe).ok());
        QCOMPARE(stateOf(s, id), MessageState::Read);
        QCOMPARE(s.receipts().markers(s.conversationByServerId(9).value()).size(), 2);
    }

    void unreadCountFollowsMyMarkerFromAnyDevice()
    {
        MessageStore s;
        QVERIFY(open(s));
        QVERIFY(s.applyInbound(
                     { incoming(1, 5, 1, "bob"), incoming(2, 5, 2, "bob"), incoming(3, 5, 3, "bob") }, 3, kMe)
                    .ok());
        const qint64 conv = s.conversationByServerId(5).value();
        QCOMPARE(s.receipts().unread(conv), 3);
        QCOMPARE(s.receipts().raiseMyMarker(conv, 2).value(), true);
        QCOMPARE(s.receipts().unread(conv), 1);
        QCOMPARE(s.receipts().raiseMyMarker(conv, 1).value(), false); // never lowered
        QCOMPARE(s.receipts().unconfirmedMarkers().size(), 1);
        // My other device read everything: the count follows, and nothing is left to send.
        QVERIFY(s.applyInbound({ receipt(4, 5, 3, {}, "alice", proto::READ, 50) }, 4, kMe).ok());
        QCOMPARE(s.receipts().unread(conv), 0);
        QCOMPARE(s.receipts().unconfirmedMarkers().size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ReceiptStore)
#include "tst_ReceiptStore.moc"

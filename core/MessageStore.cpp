// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageStore.h"

#include "Migrations.h"

#include <QHash>
#include <algorithm>
#include <openssl/rand.h>
#include <sqlite3.h>

namespace chattermesh::core {

namespace {

#define MESSAGE_COLUMNS                                                                                      \
    "m.local_id, m.conv, c.peer, m.seq, m.client_msg_id, m.sender, m.sender_device, m.outgoing, m.state, "   \
    "m.body, m.client_time_ms, m.server_time_ms, m.error, m.kind, c.server_id, c.kind"

StoredMessage readMessage(const SqlStatement &q)
{
    StoredMessage m;
    m.localId = q.int64(0);
    m.conversation = q.int64(1);
    m.peer = q.text(2);
    m.seq = q.isNull(3) ? 0 : q.int64(3);
    m.clientMsgId = q.blob(4);
    m.sender = q.text(5);
    m.senderDevice = q.int64(6);
    m.outgoing = q.int64(7) != 0;
    m.state = MessageState(q.int64(8));
    m.body = q.text(9);
    m.clientTimeMs = q.int64(10);
    m.serverTimeMs = q.int64(11);
    m.error = q.isNull(12) ? QString() : q.text(12);
    m.kind = MessageKind(q.int64(13));
    m.conversationServerId = q.isNull(14) ? 0 : q.int64(14);
    m.group = q.int64(15) == 1;
    return m;
}

QString otherMember(const proto::Conversation &c, const QString &me)
{
    for (const auto &m : c.members()) {
        const QString name = QString::fromStdString(m);
        if (name != me)
            return name;
    }
    return me;
}

} // namespace

StoreResult<Unit> MessageStore::open(const QString &path, const DbKey &key)
{
    if (auto r = m_db.open(path, key); !r)
        return r;
    if (auto r = migrate(m_db); !r) {
        m_db.close();
        return r.error();
    }
    return Unit {};
}

QByteArray MessageStore::meta(const char *key)
{
    auto &q = m_db.prepared("SELECT value FROM meta WHERE key = ?");
    q.bind(1, QString::fromLatin1(key));
    return q.step() ? q.blob(0) : QByteArray();
}

StoreResult<Unit> MessageStore::setMeta(const char *key, const QByteArray &value)
{
    auto &q = m_db.prepared("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    q.bind(1, QString::fromLatin1(key)).bind(2, value);
    if (q.exec() != SQLITE_DONE /*SQLITE_DONE*/)
        return m_db.failure("set meta");
    return Unit {};
}

quint64 MessageStore::inboxCursor()
{
    return meta("inbox_cursor").toULongLong();
}

StoreResult<qint64> MessageStore::ensurePeerConversation(const QString &peer)
{
    // Nobody's conversation would take messages that can never be sent.
    if (peer.isEmpty())
        return StoreFailure { StoreError::NotFound, QStringLiteral("no recipient") };
    if (auto id = conversationForPeer(peer))
        return *id;
    auto &ins = m_db.prepared("INSERT INTO conversations(peer) VALUES(?)");
    if (ins.bind(1, peer).exec() != SQLITE_DONE)
        return m_db.failure("insert conversation");
    return m_db.lastInsertId();
}

std::optional<qint64> MessageStore::conversationForPeer(const QString &peer)
{
    auto &q = m_db.prepared("SELECT local_id FROM conversations WHERE peer = ?");
    q.bind(1, peer);
    if (q.step())
        return q.int64(0);
    return std::nullopt;
}

StoreResult<StoredMessage> MessageStore::composeText(const QString &me, const QString &peer,
    const QString &body, const QByteArray &content, const QByteArray &clientMsgId, qint64 nowMs)
{
    return compose(me, peer, body, content, MessageKind::Text, clientMsgId, nowMs);
}

StoreResult<StoredMessage> MessageStore::composeMedia(const QString &me, const QString &peer,
    const QString &body, const QByteArray &content, const QByteArray &clientMsgId, qint64 nowMs)
{
    return compose(me, peer, body, content, MessageKind::Media, clientMsgId, nowMs);
}

StoreResult<Unit> MessageStore::setContent(qint64 localId, const QByteArray &content)
{
    auto &q = m_db.prepared("UPDATE messages SET content = ? WHERE local_id = ?");
    if (q.bind(1, content).bind(2, localId).exec() != SQLITE_DONE)
        return m_db.failure("update content");
    return Unit {};
}

StoreResult<StoredMessage> MessageStore::composeControl(const QString &me, const QString &peer,
    const QByteArray &content, const QByteArray &clientMsgId, qint64 nowMs)
{
    return compose(me, peer, QString(), content, MessageKind::Control, clientMsgId, nowMs);
}

StoreResult<StoredMessage> MessageStore::compose(const QString &me, const QString &peer, const QString &body,
    const QByteArray &content, MessageKind kind, const QByteArray &clientMsgId, qint64 nowMs)
{
    // Group commit: the engine syncs the WAL once for all messages composed in one turn.
    Transaction tx(m_db, SqlDatabase::Durability::Relaxed);
    if (!tx.began())
        return m_db.failure("begin compose");
    auto conv = ensurePeerConversation(peer);
    if (!conv)
        return conv.error();
    auto m = insertOutgoing(conv.value(), me, body, content, kind, clientMsgId, nowMs);
    if (!m)
        return m;
    if (auto r = tx.commit(); !r)
        return r.error();
    m.value().peer = peer;
    return m;
}

StoreResult<StoredMessage> MessageStore::composeGroup(const QString &me, qint64 groupServerId,
    const QString &body, const QByteArray &content, MessageKind kind, const QByteArray &clientMsgId,
    qint64 nowMs)
{
    const auto group = m_groups.group(groupServerId);
    if (!group)
        return StoreFailure { StoreError::NotFound, QStringLiteral("no such group") };
    if (!group->isMember)
        return StoreFailure { StoreError::NotFound,
            QStringLiteral("you are no longer a member of this group") };
    Transaction tx(m_db, SqlDatabase::Durability::Relaxed);
    if (!tx.began())
        return m_db.failure("begin compose");
    auto m = insertOutgoing(group->conversation, me, body, content, kind, clientMsgId, nowMs);
    if (!m)
        return m;
    if (kind == MessageKind::Control) {
        if (auto r = tx.commit(); !r)
            return r.error();
        return m;
    }
    QStringList recipients;
    for (const GroupMember &member : group->members) {
        if (member.username != me)
            recipients << member.username;
    }
    if (auto r = m_receipts.expect(m.value().localId, recipients); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    m.value().conversationServerId = groupServerId;
    m.value().group = true;
    return m;
}

StoreResult<StoredMessage> MessageStore::insertOutgoing(qint64 conversation, const QString &me,
    const QString &body, const QByteArray &content, MessageKind kind, const QByteArray &clientMsgId,
    qint64 nowMs)
{
    auto &ins = m_db.prepared("INSERT INTO messages(conv, client_msg_id, sender, outgoing, state, body, "
                              "client_time_ms, content, kind) VALUES(?, ?, ?, 1, 0, ?, ?, ?, ?)");
    ins.bind(1, conversation).bind(2, clientMsgId).bind(3, me).bind(4, body).bind(5, nowMs).bind(6, content);
    ins.bind(7, qint64(kind));
    if (ins.exec() != SQLITE_DONE)
        return m_db.failure("insert message");
    const qint64 localId = m_db.lastInsertId();
    // Media waits for its upload: OutboxStore::enqueue() adds the row once the bytes are on the server.
    if (kind != MessageKind::Media
        && m_db.prepared("INSERT INTO outbox(local_id) VALUES(?)").bind(1, localId).exec() != SQLITE_DONE)
        return m_db.failure("insert outbox");
    if (kind != MessageKind::Control) {
        auto &touch = m_db.prepared("UPDATE conversations SET last_activity_ms = ? WHERE local_id = ?");
        touch.bind(1, nowMs).bind(2, conversation).exec();
    }
    StoredMessage m;
    m.localId = localId;
    m.conversation = conversation;
    m.clientMsgId = clientMsgId;
    m.sender = me;
    m.outgoing = true;
    m.state = MessageState::Pending;
    m.body = body;
    m.clientTimeMs = nowMs;
    m.kind = kind;
    return m;
}

StoreResult<StoredMessage> MessageStore::addNotice(const QString &peer, const QString &text, qint64 nowMs)
{
    Transaction tx(m_db);
    if (!tx.began())
        return m_db.failure("begin");
    auto conv = ensurePeerConversation(peer);
    if (!conv)
        return conv.error();
    auto &last = m_db.prepared("SELECT last_seq FROM conversations WHERE local_id = ?");
    const qint64 seq = last.bind(1, conv.value()).step() ? last.int64(0) : 0;
    last.reset();
    QByteArray id(16, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(id.data()), int(id.size()));
    auto &ins = m_db.prepared("INSERT INTO messages(conv, seq, client_msg_id, sender, outgoing, state, body, "
                              "server_time_ms, kind) VALUES(?, ?, ?, '', 0, 10, ?, ?, 1)");
    ins.bind(1, conv.value()).bind(2, seq).bind(3, id).bind(4, text).bind(5, nowMs);
    if (ins.exec() != SQLITE_DONE)
        return m_db.failure("insert notice");
    StoredMessage m;
    m.localId = m_db.lastInsertId();
    m.conversation = conv.value();
    m.peer = peer;
    m.seq = seq;
    m.clientMsgId = id;
    m.state = MessageState::Received;
    m.body = text;
    m.serverTimeMs = nowMs;
    m.kind = MessageKind::IdentityNotice;
    if (auto r = tx.commit(); !r)
        return r.error();
    return m;
}

StoreResult<QList<StateChange>> MessageStore::failOutboxFor(const QString &peer, const QString &error)
{
    Transaction tx(m_db);
    if (!tx.began())
        return m_db.failure("begin");
    auto &q = m_db.prepared("SELECT m.client_msg_id FROM outbox o JOIN messages m ON m.local_id = o.local_id "
                            "JOIN conversations c ON c.local_id = m.conv WHERE c.peer = ?");
    q.bind(1, peer);
    QList<QByteArray> ids;
    while (q.step())
        ids.append(q.blob(0));
    q.reset();
    QList<StateChange> out;
    for (const QByteArray &id : ids) {
        auto r = markFailed(id, error);
        if (!r)
            return r.error();
        out.append(r.value());
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return out;
}

QByteArray MessageStore::contentOf(qint64 localId)
{
    auto &q = m_db.prepared("SELECT content FROM messages WHERE local_id = ?");
    return q.bind(1, localId).step() ? q.blob(0) : QByteArray();
}

QByteArray MessageStore::clientMsgIdOf(qint64 localId)
{
    auto &q = m_db.prepared("SELECT client_msg_id FROM messages WHERE local_id = ?");
    return q.bind(1, localId).step() ? q.blob(0) : QByteArray();
}

std::optional<qint64> MessageStore::conversationServerId(qint64 localConversation)
{
    auto &q = m_db.prepared("SELECT server_id FROM conversations WHERE local_id = ?");
    if (q.bind(1, localConversation).step() && !q.isNull(0))
        return q.int64(0);
    return std::nullopt;
}

StoreResult<QList<StateChange>> MessageStore::applyAcks(const QList<AckInfo> &acks)
{
    Transaction tx(m_db);
    if (!tx.began())
        return m_db.failure("begin acks");
    QList<StateChange> changes;
    // Each conversation's row is written once per batch, with the highest seq acked in it.
    QHash<qint64, std::pair<qint64, qint64>> conversations; // local id → (server id, max seq)
    for (const AckInfo &a : acks) {
        auto &find = m_db.prepared("SELECT local_id, conv, state FROM messages WHERE client_msg_id = ?");
        if (!find.bind(1, a.clientMsgId).step())
            continue;
        const qint64 localId = find.int64(0), conv = find.int64(1);
        const auto state = MessageState(find.int64(2));
        find.reset();
        auto &seen = conversations[conv];
        seen = { a.conversationServerId, std::max(seen.second, a.seq) };
        auto &upd = m_db.prepared("UPDATE messages SET seq = ?, server_time_ms = ?, "
                                  "state = max(state, 1) WHERE local_id = ? AND state < 4");
        upd.bind(1, a.seq).bind(2, a.serverTimeMs).bind(3, localId);
        if (upd.exec() != SQLITE_DONE)
            return m_db.failure("mark sent");
        m_db.prepared("DELETE FROM outbox WHERE local_id = ?").bind(1, localId).exec();
        changes.append({ localId, a.clientMsgId, std::max(state, MessageState::Sent) });
    }
    for (auto it = conversations.cbegin(); it != conversations.cend(); ++it) {
        auto &conv = m_db.prepared("UPDATE conversations SET server_id = ?, "
                                   "last_seq = max(last_seq, ?) WHERE local_id = ?");
        conv.bind(1, it.value().first).bind(2, it.value().second).bind(3, it.key());
        if (conv.exec() != SQLITE_DONE)
            return m_db.failure("set conversation id");
    }
    // Receipts can overtake an ack (a reconnect syncs before the send is retried): what was
    // recorded while the message had no seq applies now.
    for (const StateChange &c : QList<StateChange>(changes)) {
        auto settled = m_receipts.settle(c.localId);
        if (!settled)
            return settled.error();
        if (settled.value())
            changes.append(*settled.value());
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return changes;
}

StoreResult<StateChange> MessageStore::markFailed(const QByteArray &clientMsgId, const QString &error)
{
    Transaction tx(m_db);
    if (!tx.began())
        return m_db.failure("begin");
    auto msg = messageByClientId(clientMsgId);
    if (!msg)
        return StoreFailure { StoreError::NotFound, QStringLiteral("no such message") };
    m_db.prepared("UPDATE messages SET state = 4, error = ? WHERE local_id = ?")
        .bind(1, error)
        .bind(2, msg->localId)
        .exec();
    m_db.prepared("DELETE FROM outbox WHERE local_id = ?").bind(1, msg->localId).exec();
    if (auto r = tx.commit(); !r)
        return r.error();
    return StateChange { msg->localId, clientMsgId, MessageState::Failed };
}

std::optional<StoredMessage> MessageStore::messageByClientId(const QByteArray &clientMsgId)
{
    auto &q = m_db.prepared(
        "SELECT " MESSAGE_COLUMNS " FROM messages m JOIN conversations c ON c.local_id = m.conv "
        "WHERE m.client_msg_id = ?");
    q.bind(1, clientMsgId);
    if (q.step())
        return readMessage(q);
    return std::nullopt;
}

StoreResult<qint64> MessageStore::conversationFor(const proto::Conversation &c, const QString &me)
{
    const qint64 serverId = qint64(c.conversation_id());
    if (c.kind() == proto::GROUP)
        return m_groups.ensureGroup(serverId);
    auto &q = m_db.prepared("SELECT local_id FROM conversations WHERE server_id = ?");
    q.bind(1, serverId);
    qint64 local = 0;
    if (q.step()) {
        local = q.int64(0);
    } else {
        auto byPeer = ensurePeerConversation(otherMember(c, me));
        if (!byPeer)
            return byPeer.error();
        local = byPeer.value();
        QStringList members;
        for (const auto &m : c.members())
            members << QString::fromStdString(m);
        auto &set = m_db.prepared("UPDATE conversations SET server_id = ?, members = ? WHERE local_id = ?");
        if (set.bind(1, serverId).bind(2, members.join(QLatin1Char(','))).bind(3, local).exec()
            != SQLITE_DONE)
            return m_db.failure("set conversation id");
    }
    return local;
}

StoreResult<MessageStore::InboundResult> MessageStore::applyInbound(
    const QList<InboundItem> &items, quint64 cursor, const QString &me)
{
    Transaction tx(m_db);
    if (!tx.began())
        return m_db.failure("begin inbound");
    InboundResult out;
    // Each conversation row is touched once per batch: (max seq, latest activity).
    QHash<qint64, std::pair<qint64, qint64>> touched;
    for (const InboundItem &item : items) {
        const auto &e = item.entry;
        if (e.has_message()) {
            if (item.body == InboundItem::Body::Hidden)
                continue;
            const auto &pm = e.message();
            auto conv = conversationFor(pm.conversation(), me);
            if (!conv)
                return conv.error();
            auto &touch = touched[conv.value()];
            touch = { std::max(touch.first, qint64(pm.seq())),
                std::max(touch.second, qint64(pm.server_time_ms())) };
            StoredMessage m;
            m.conversation = conv.value();
            m.peer = otherMember(pm.conversation(), me);
            m.seq = qint64(pm.seq());
            m.clientMsgId = QByteArray::fromStdString(pm.client_msg_id());
            m.sender = QString::fromStdString(pm.sender());
            m.senderDevice = qint64(pm.sender_device());
            m.outgoing = m.sender == me;
            // A message my other device sent arrives here already stored by the server: it is sent.
            m.state = m.outgoing ? MessageState::Sent : MessageState::Received;
            m.body = item.text;
            m.serverTimeMs = pm.server_time_ms();
            m.kind = item.body == InboundItem::Body::Undecryptable ? MessageKind::Undecryptable
                : item.body == InboundItem::Body::Media            ? MessageKind::Media
                                                                   : MessageKind::Text;
            m.error = item.error;
            m.conversationServerId = qint64(pm.conversation().conversation_id());
            m.group = pm.conversation().kind() == proto::GROUP;
            if (item.body == InboundItem::Body::GroupEvent) {
                // Events have no client_msg_id; (conversation, seq) names them, and a repeat
                // delivery of the same event is still ignored.
                m.clientMsgId = QByteArrayLiteral("event:") + QByteArray::number(m.conversationServerId) + ':'
                    + QByteArray::number(m.seq);
                if (auto r = m_groups.applyEvent(m.conversation, pm.event(), me); !r)
                    return r.error();
                m.kind = MessageKind::GroupEvent;
                m.body = GroupStore::describe(pm.event(), me);
                m.outgoing = false;
                m.state = MessageState::Received;
                m.peer.clear();
            } else if (m.group) {
                m.peer.clear();
            }
            auto &ins = m_db.prepared(
                "INSERT OR IGNORE INTO messages(conv, seq, client_msg_id, sender, sender_device, "
                "outgoing, state, body, server_time_ms, kind, error, content) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ins.bind(1, m.conversation).bind(2, m.seq).bind(3, m.clientMsgId).bind(4, m.sender);
            ins.bind(5, m.senderDevice).bind(6, m.outgoing ? 1 : 0).bind(7, int(m.state)).bind(8, m.body);
            ins.bind(9, m.serverTimeMs).bind(10, qint64(m.kind));
            if (m.error.isEmpty())
                ins.bindNull(11);
            else
                ins.bind(11, m.error);
            if (item.content.isEmpty())
                ins.bindNull(12);
            else
                ins.bind(12, item.content);
            if (ins.exec() != SQLITE_DONE)
                return m_db.failure("insert inbound message");
            if (m_db.changes() == 1) {
                m.localId = m_db.lastInsertId();
                if (m.outgoing && m.group && m.kind == MessageKind::Text) {
                    // Sent by my other device: this one shows "read by N of M" too.
                    QStringList recipients = m_groups.members(m.conversation);
                    recipients.removeAll(me);
                    if (auto r = m_receipts.expect(m.localId, recipients); !r)
                        return r.error();
                }
                out.added.append(std::move(m));
            } else if (m.kind == MessageKind::Text) {
                // The sender re-encrypted a message we could not read: it replaces the placeholder.
                // Only the same sender's device, in the same conversation, may fill it in.
                auto &fix = m_db.prepared("UPDATE messages SET body = ?, kind = 0, error = NULL "
                                          "WHERE client_msg_id = ? AND kind = 2 AND sender = ? "
                                          "AND sender_device = ? AND conv = ?");
                fix.bind(1, m.body).bind(2, m.clientMsgId).bind(3, m.sender).bind(4, m.senderDevice);
                if (fix.bind(5, m.conversation).exec() != SQLITE_DONE)
                    return m_db.failure("repair undecryptable message");
                if (m_db.changes() == 1) {
                    if (auto fixed = messageByClientId(m.clientMsgId))
                        out.repaired.append(*fixed);
                }
            }
        } else if (e.has_receipt()) {
            if (auto r = applyReceipt(e.receipt(), me, &out); !r)
                return r.error();
        }
    }
    for (auto it = touched.cbegin(); it != touched.cend(); ++it) {
        auto &touch = m_db.prepared("UPDATE conversations SET last_seq = max(last_seq, ?), "
                                    "last_activity_ms = max(last_activity_ms, ?) WHERE local_id = ?");
        if (touch.bind(1, it.value().first).bind(2, it.value().second).bind(3, it.key()).exec()
            != SQLITE_DONE)
            return m_db.failure("touch conversation");
    }
    if (auto r = setMeta("inbox_cursor", QByteArray::number(cursor)); !r)
        return r.error();
    if (auto r = tx.commit(); !r)
        return r.error();
    return out;
}

StoreResult<Unit> MessageStore::applyReceipt(const proto::Receipt &r, const QString &me, InboundResult *out)
{
    const QString by = QString::fromStdString(r.by_user());
    if (r.status() == proto::DELIVERED) {
        auto change = m_receipts.delivered(QByteArray::fromStdString(r.client_msg_id()), by, r.time_ms());
        if (!change)
            return change.error();
        if (change.value())
            out->changed.append(*change.value());
        return Unit {};
    }
    if (r.status() != proto::READ)
        return Unit {};
    auto conv = conversationByServerId(qint64(r.conversation_id()));
    if (!conv && by != me) {
        // My first message to `by` was stored by the server but its ack has not reached me yet
        // (the connection dropped): the receipt names the conversation first.
        if (auto peerConv = conversationForPeer(by); peerConv && !conversationServerId(*peerConv)) {
            auto &set = m_db.prepared("UPDATE conversations SET server_id = ? WHERE local_id = ?");
            if (set.bind(1, qint64(r.conversation_id())).bind(2, *peerConv).exec() != SQLITE_DONE)
                return m_db.failure("set conversation id");
            conv = peerConv;
        }
    }
    if (!conv)
        return Unit {}; // a conversation this device has not seen yet: nothing of mine to mark
    if (by == me) {
        // My other device showed these messages: the unread count follows.
        if (auto c = m_receipts.confirmMyMarker(*conv, qint64(r.seq())); !c)
            return c.error();
        out->readMarkers.append(*conv);
        return Unit {};
    }
    auto changes = m_receipts.read(*conv, by, qint64(r.seq()), r.time_ms());
    if (!changes)
        return changes.error();
    out->changed.append(changes.value());
    out->memberReads.append(*conv);
    return Unit {};
}

std::optional<qint64> MessageStore::conversationByServerId(qint64 serverId)
{
    auto &q = m_db.prepared("SELECT local_id FROM conversations WHERE server_id = ?");
    if (q.bind(1, serverId).step())
        return q.int64(0);
    return std::nullopt;
}

StoreResult<QList<ConversationInfo>> MessageStore::conversations()
{
    auto &q
        = m_db.prepared("SELECT local_id, server_id, coalesce(peer, ''), last_seq, last_activity_ms, kind, "
                        "title, is_member, read_seq FROM conversations ORDER BY last_activity_ms DESC");
    QList<ConversationInfo> out;
    while (q.step()) {
        ConversationInfo c;
        c.localId = q.int64(0);
        c.serverId = q.isNull(1) ? 0 : q.int64(1);
        c.peer = q.text(2);
        c.lastSeq = q.int64(3);
        c.lastActivityMs = q.int64(4);
        c.group = q.int64(5) == 1;
        c.title = q.text(6);
        c.isMember = q.int64(7) != 0;
        c.readSeq = q.int64(8);
        out.append(std::move(c));
    }
    if (!q.ok())
        return m_db.failure("list conversations");
    for (ConversationInfo &c : out)
        c.unread = m_receipts.unread(c.localId);
    return out;
}

StoreResult<QList<StoredMessage>> MessageStore::page(
    SqlDatabase &db, qint64 conversation, qint64 beforeSeq, int limit)
{
    QList<StoredMessage> out;
    if (beforeSeq <= 0) {
        // Pending messages have no seq yet; they sort after everything the server ordered.
        auto &p = db.prepared(
            "SELECT " MESSAGE_COLUMNS " FROM messages m JOIN conversations c ON c.local_id = m.conv "
            "WHERE m.conv = ? AND m.seq IS NULL AND m.kind != 3 ORDER BY m.local_id");
        p.bind(1, conversation);
        while (p.step())
            out.append(readMessage(p));
        if (!p.ok())
            return db.failure("read pending page");
    }
    auto &q = db.prepared(
        "SELECT " MESSAGE_COLUMNS " FROM messages m JOIN conversations c ON c.local_id = m.conv "
        "WHERE m.conv = ? AND m.seq IS NOT NULL AND m.seq < ? AND m.kind != 3 "
        "ORDER BY m.seq DESC, m.local_id DESC LIMIT ?");
    q.bind(1, conversation)
        .bind(2, beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max())
        .bind(3, limit);
    QList<StoredMessage> ordered;
    while (q.step())
        ordered.append(readMessage(q));
    if (!q.ok())
        return db.failure("read page");
    std::reverse(ordered.begin(), ordered.end());
    ordered.append(out);
    return ordered;
}

} // namespace chattermesh::core

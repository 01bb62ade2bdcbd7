// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReceiptStore.h"

#include <sqlite3.h>

namespace chattermesh::core {

StoreResult<Unit> ReceiptStore::expect(qint64 message, const QStringList &recipients)
{
    for (const QString &user : recipients) {
        auto &ins = m_db.prepared("INSERT OR IGNORE INTO receipts(message, username) VALUES(?, ?)");
        if (ins.bind(1, message).bind(2, user).exec() != SQLITE_DONE)
            return m_db.failure("expect receipt");
    }
    return Unit {};
}

StoreResult<std::optional<StateChange>> ReceiptStore::settle(qint64 message)
{
    auto &find = m_db.prepared("SELECT conv, seq, state, EXISTS(SELECT 1 FROM receipts r WHERE r.message = "
                               "m.local_id) FROM messages m WHERE local_id = ? AND outgoing = 1");
    if (!find.bind(1, message).step() || find.isNull(1))
        return std::optional<StateChange> {};
    const qint64 conv = find.int64(0), seq = find.int64(1);
    const bool perMember = find.int64(3) != 0;
    find.reset();
    auto &markers
        = m_db.prepared("SELECT username, read_ms FROM member_reads WHERE conv = ? AND read_seq >= ?");
    markers.bind(1, conv).bind(2, seq);
    QList<std::pair<QString, qint64>> readers;
    while (markers.step())
        readers.append({ markers.text(0), markers.int64(1) });
    markers.reset();
    if (!perMember) {
        if (readers.isEmpty())
            return std::optional<StateChange> {};
        auto &upd = m_db.prepared("UPDATE messages SET state = 3 WHERE local_id = ? AND state IN (1, 2)");
        if (upd.bind(1, message).exec() != SQLITE_DONE)
            return m_db.failure("apply read");
        if (m_db.changes() == 0)
            return std::optional<StateChange> {};
        auto &id = m_db.prepared("SELECT client_msg_id FROM messages WHERE local_id = ?");
        return std::optional<StateChange>(StateChange {
            message, id.bind(1, message).step() ? id.blob(0) : QByteArray(), MessageState::Read });
    }
    for (const auto &[user, readMs] : std::as_const(readers)) {
        auto &upd = m_db.prepared("UPDATE receipts SET read_ms = ?, delivered_ms = coalesce(delivered_ms, ?) "
                                  "WHERE message = ? AND username = ? AND read_ms IS NULL");
        if (upd.bind(1, readMs).bind(2, readMs).bind(3, message).bind(4, user).exec() != SQLITE_DONE)
            return m_db.failure("record read");
    }
    return recompute(message);
}

StoreResult<Unit> ReceiptStore::setRecipients(qint64 message, const QStringList &recipients)
{
    auto &q = m_db.prepared("SELECT username FROM receipts WHERE message = ?");
    q.bind(1, message);
    QStringList gone;
    while (q.step()) {
        if (!recipients.contains(q.text(0)))
            gone << q.text(0);
    }
    q.reset();
    for (const QString &user : std::as_const(gone)) {
        auto &del = m_db.prepared("DELETE FROM receipts WHERE message = ? AND username = ?");
        if (del.bind(1, message).bind(2, user).exec() != SQLITE_DONE)
            return m_db.failure("drop receipt");
    }
    return expect(message, recipients);
}

StoreResult<std::optional<StateChange>> ReceiptStore::recompute(qint64 message)
{
    auto &q = m_db.prepared("SELECT count(*), count(delivered_ms), count(read_ms) FROM receipts "
                            "WHERE message = ?");
    if (!q.bind(1, message).step())
        return m_db.failure("count receipts");
    const qint64 all = q.int64(0), delivered = q.int64(1), read = q.int64(2);
    q.reset();
    if (all == 0)
        return std::optional<StateChange> {};
    const MessageState aggregate = read == all ? MessageState::Read
        : delivered == all                     ? MessageState::Delivered
                                               : MessageState::Sent;
    auto &find = m_db.prepared("SELECT client_msg_id, state FROM messages WHERE local_id = ?");
    if (!find.bind(1, message).step())
        return std::optional<StateChange> {};
    const QByteArray id = find.blob(0);
    const auto state = MessageState(find.int64(1));
    find.reset();
    // Pending stays pending until the server acks; Failed and incoming rows are never touched.
    if (state == MessageState::Pending || state >= MessageState::Failed || aggregate <= state)
        return std::optional<StateChange> {};
    auto &upd = m_db.prepared("UPDATE messages SET state = ? WHERE local_id = ?");
    if (upd.bind(1, qint64(aggregate)).bind(2, message).exec() != SQLITE_DONE)
        return m_db.failure("apply receipt");
    return std::optional<StateChange>(StateChange { message, id, aggregate });
}

StoreResult<std::optional<StateChange>> ReceiptStore::delivered(
    const QByteArray &clientMsgId, const QString &by, qint64 timeMs)
{
    auto &find = m_db.prepared("SELECT local_id, state, "
                               "EXISTS(SELECT 1 FROM receipts r WHERE r.message = m.local_id) "
                               "FROM messages m WHERE client_msg_id = ? AND outgoing = 1");
    if (!find.bind(1, clientMsgId).step())
        return std::optional<StateChange> {};
    const qint64 localId = find.int64(0);
    const auto state = MessageState(find.int64(1));
    const bool perMember = find.int64(2) != 0;
    find.reset();
    if (perMember) {
        auto &upd = m_db.prepared("UPDATE receipts SET delivered_ms = ? WHERE message = ? AND username = ? "
                                  "AND delivered_ms IS NULL");
        if (upd.bind(1, timeMs).bind(2, localId).bind(3, by).exec() != SQLITE_DONE)
            return m_db.failure("record delivery");
        return recompute(localId);
    }
    if (state >= MessageState::Delivered)
        return std::optional<StateChange> {}; // states never move back
    auto &upd = m_db.prepared("UPDATE messages SET state = 2 WHERE local_id = ?");
    if (upd.bind(1, localId).exec() != SQLITE_DONE)
        return m_db.failure("apply receipt");
    return std::optional<StateChange>(StateChange { localId, clientMsgId, MessageState::Delivered });
}

StoreResult<QList<StateChange>> ReceiptStore::read(
    qint64 conversation, const QString &by, qint64 seq, qint64 timeMs)
{
    // Only what the marker newly covers: messages at or under the old one were settled then, or by
    // settle() when their ack came later.
    auto &old = m_db.prepared("SELECT read_seq FROM member_reads WHERE conv = ? AND username = ?");
    const qint64 before = old.bind(1, conversation).bind(2, by).step() ? old.int64(0) : 0;
    old.reset();
    if (seq <= before)
        return QList<StateChange> {};
    auto &marker = m_db.prepared(
        "INSERT OR REPLACE INTO member_reads(conv, username, read_seq, read_ms) "
        "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM member_reads WHERE conv = ? AND username = ? "
        "AND read_seq >= ?)");
    marker.bind(1, conversation).bind(2, by).bind(3, seq).bind(4, timeMs);
    if (marker.bind(5, conversation).bind(6, by).bind(7, seq).exec() != SQLITE_DONE)
        return m_db.failure("record read marker");
    // My messages the marker covers that have not reached Read for `by` yet.
    auto &find = m_db.prepared(
        "SELECT m.local_id, m.client_msg_id, m.state, "
        "EXISTS(SELECT 1 FROM receipts r WHERE r.message = m.local_id) FROM messages m "
        "WHERE m.conv = ? AND m.outgoing = 1 AND m.seq > ? AND m.seq <= ? AND m.state IN (1, 2)");
    find.bind(1, conversation).bind(2, before).bind(3, seq);
    struct Row {
        qint64 id;
        QByteArray clientMsgId;
        MessageState state;
        bool perMember;
    };
    QList<Row> rows;
    while (find.step())
        rows.append({ find.int64(0), find.blob(1), MessageState(find.int64(2)), find.int64(3) != 0 });
    if (!find.ok())
        return m_db.failure("find read messages");
    QList<StateChange> out;
    for (const Row &row : std::as_const(rows)) {
        if (!row.perMember) {
            if (m_db.prepared("UPDATE messages SET state = 3 WHERE local_id = ?").bind(1, row.id).exec()
                != SQLITE_DONE)
                return m_db.failure("apply read");
            out.append({ row.id, row.clientMsgId, MessageState::Read });
            continue;
        }
        auto &upd = m_db.prepared("UPDATE receipts SET read_ms = ?, delivered_ms = coalesce(delivered_ms, ?) "
                                  "WHERE message = ? AND username = ? AND read_ms IS NULL");
        if (upd.bind(1, timeMs).bind(2, timeMs).bind(3, row.id).bind(4, by).exec() != SQLITE_DONE)
            return m_db.failure("record read");
        if (m_db.changes() == 0)
            continue;
        auto change = recompute(row.id);
        if (!change)
            return change.error();
        if (change.value())
            out.append(*change.value());
    }
    return out;
}

StoreResult<bool> ReceiptStore::raiseMyMarker(qint64 conversation, qint64 seq)
{
    auto &upd = m_db.prepared("UPDATE conversations SET read_seq = ? WHERE local_id = ? AND read_seq < ?");
    if (upd.bind(1, seq).bind(2, conversation).bind(3, seq).exec() != SQLITE_DONE)
        return m_db.failure("raise read marker");
    return m_db.changes() > 0;
}

StoreResult<Unit> ReceiptStore::confirmMyMarker(qint64 conversation, qint64 seq)
{
    auto &upd = m_db.prepared("UPDATE conversations SET read_sent_seq = max(read_sent_seq, ?), "
                              "read_seq = max(read_seq, ?) WHERE local_id = ?");
    if (upd.bind(1, seq).bind(2, seq).bind(3, conversation).exec() != SQLITE_DONE)
        return m_db.failure("confirm read marker");
    return Unit {};
}

QList<ReceiptStore::Marker> ReceiptStore::unconfirmedMarkers()
{
    auto &q = m_db.prepared("SELECT server_id, read_seq FROM conversations WHERE read_seq > read_sent_seq "
                            "AND server_id IS NOT NULL");
    QList<Marker> out;
    while (q.step())
        out.append({ q.int64(0), q.int64(1) });
    return out;
}

qint64 ReceiptStore::myMarker(qint64 conversation)
{
    auto &q = m_db.prepared("SELECT read_seq FROM conversations WHERE local_id = ?");
    return q.bind(1, conversation).step() ? q.int64(0) : 0;
}

int ReceiptStore::unread(qint64 conversation)
{
    // Messages from others (text or undecryptable) after my marker; uses messages_conv_seq.
    auto &q = m_db.prepared("SELECT count(*) FROM messages WHERE conv = ? AND seq > "
                            "(SELECT read_seq FROM conversations WHERE local_id = ?) "
                            "AND outgoing = 0 AND kind IN (0, 2)");
    return q.bind(1, conversation).bind(2, conversation).step() ? int(q.int64(0)) : 0;
}

QList<MemberReceipt> ReceiptStore::receiptsOf(qint64 message)
{
    auto &q = m_db.prepared(
        "SELECT username, coalesce(delivered_ms, 0), coalesce(read_ms, 0) FROM receipts WHERE message = ? "
        "ORDER BY read_ms IS NULL, read_ms, delivered_ms IS NULL, delivered_ms, username");
    q.bind(1, message);
    QList<MemberReceipt> out;
    while (q.step())
        out.append({ q.text(0), q.int64(1), q.int64(2) });
    return out;
}

QList<std::pair<QString, std::pair<qint64, qint64>>> ReceiptStore::markers(qint64 conversation)
{
    auto &q = m_db.prepared("SELECT username, read_seq, read_ms FROM member_reads WHERE conv = ? "
                            "ORDER BY username");
    q.bind(1, conversation);
    QList<std::pair<QString, std::pair<qint64, qint64>>> out;
    while (q.step())
        out.append({ q.text(0), { q.int64(1), q.int64(2) } });
    return out;
}

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#include "OutboxStore.h"

#include <sqlite3.h>

namespace chattermesh::core {

StoreResult<QList<OutboxItem>> OutboxStore::items(qint64 afterLocalId, int limit)
{
    auto &q = m_db.prepared(
        "SELECT o.local_id, m.client_msg_id, c.peer, c.server_id, m.content, m.client_time_ms, o.sealed, "
        "m.conv, c.kind "
        "FROM outbox o JOIN messages m ON m.local_id = o.local_id "
        "JOIN conversations c ON c.local_id = m.conv "
        "WHERE o.local_id > ? ORDER BY o.local_id LIMIT ?");
    q.bind(1, afterLocalId).bind(2, limit);
    QList<OutboxItem> items;
    while (q.step()) {
        OutboxItem it;
        it.localId = q.int64(0);
        it.clientMsgId = q.blob(1);
        it.peer = q.text(2);
        it.conversationServerId = q.isNull(3) ? 0 : q.int64(3);
        it.content = q.blob(4);
        it.clientTimeMs = q.int64(5);
        it.sealed = q.isNull(6) ? QByteArray() : q.blob(6);
        it.conversation = q.int64(7);
        it.group = q.int64(8) == 1;
        items.append(std::move(it));
    }
    if (!q.ok())
        return m_db.failure("read outbox");
    return items;
}

StoreResult<Unit> OutboxStore::setSealed(
    qint64 localId, const QByteArray &sealed, const QList<qint64> &devices)
{
    auto &q = m_db.prepared("UPDATE outbox SET sealed = ? WHERE local_id = ?");
    if (q.bind(1, sealed).bind(2, localId).exec() != SQLITE_DONE)
        return m_db.failure("seal outbox entry");
    QStringList ids;
    for (qint64 d : devices)
        ids << QString::number(d);
    auto &r = m_db.prepared("UPDATE messages SET recipients = ? WHERE local_id = ?");
    if (r.bind(1, ids.join(QLatin1Char(','))).bind(2, localId).exec() != SQLITE_DONE)
        return m_db.failure("record recipients");
    return Unit {};
}

StoreResult<Unit> OutboxStore::addAnswer(const PendingAnswer &a)
{
    auto &q = m_db.prepared(
        "INSERT OR IGNORE INTO answers(asker, device, client_msg_id, answer_id) VALUES(?, ?, ?, ?)");
    if (q.bind(1, a.asker).bind(2, a.device).bind(3, a.clientMsgId).bind(4, a.answerId).exec() != SQLITE_DONE)
        return m_db.failure("queue answer");
    return Unit {};
}

StoreResult<QList<PendingAnswer>> OutboxStore::answers()
{
    auto &q = m_db.prepared("SELECT asker, device, client_msg_id, answer_id FROM answers");
    QList<PendingAnswer> out;
    while (q.step())
        out.append({ q.text(0), q.int64(1), q.blob(2), q.blob(3) });
    if (!q.ok())
        return m_db.failure("read answers");
    return out;
}

StoreResult<Unit> OutboxStore::removeAnswer(const PendingAnswer &a)
{
    auto &q = m_db.prepared("DELETE FROM answers WHERE asker = ? AND device = ? AND client_msg_id = ?");
    if (q.bind(1, a.asker).bind(2, a.device).bind(3, a.clientMsgId).exec() != SQLITE_DONE)
        return m_db.failure("drop answer");
    return Unit {};
}

StoreResult<Unit> OutboxStore::unsealOutbox()
{
    if (m_db.prepared("UPDATE outbox SET sealed = NULL").exec() != SQLITE_DONE)
        return m_db.failure("unseal outbox");
    return Unit {};
}

int OutboxStore::outboxSize()
{
    auto &q = m_db.prepared("SELECT count(*) FROM outbox");
    return q.step() ? int(q.int64(0)) : -1;
}

QList<qint64> OutboxStore::recipientsOf(qint64 localId)
{
    auto &q = m_db.prepared("SELECT recipients FROM messages WHERE local_id = ?");
    QList<qint64> out;
    if (q.bind(1, localId).step() && !q.isNull(0)) {
        const QStringList ids = q.text(0).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &id : ids)
            out.append(id.toLongLong());
    }
    return out;
}

StoreResult<Unit> OutboxStore::enqueue(qint64 localId)
{
    auto &q = m_db.prepared("INSERT OR IGNORE INTO outbox(local_id) VALUES(?)");
    if (q.bind(1, localId).exec() != SQLITE_DONE)
        return m_db.failure("enqueue outbox");
    return Unit {};
}

} // namespace chattermesh::core

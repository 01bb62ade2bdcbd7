// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MessageTypes.h"
#include "SqlDatabase.h"

namespace chattermesh::core {

// What waits to go out: outbox rows with their sealed (encrypted once) Sends, the devices each
// message was encrypted for, and the answers to retry requests still to send. Works inside the
// caller's transactions on the engine's store connection.
class OutboxStore {
public:
    explicit OutboxStore(SqlDatabase &db) : m_db(db) { }

    StoreResult<QList<OutboxItem>> items(qint64 afterLocalId, int limit);
    // Queues an already stored message (media, once its upload is finished).
    StoreResult<Unit> enqueue(qint64 localId);
    int outboxSize();
    // Each outbox row is encrypted once: retries send the sealed bytes again, because every fresh
    // encryption advances the ratchet and a peer only skips ahead so far (2,000 messages).
    // `devices`: every device the message was encrypted for (device ids are server-wide unique).
    StoreResult<Unit> setSealed(qint64 localId, const QByteArray &sealed, const QList<qint64> &devices);
    QList<qint64> recipientsOf(qint64 localId);
    StoreResult<Unit> addAnswer(const PendingAnswer &answer);
    StoreResult<QList<PendingAnswer>> answers();
    StoreResult<Unit> removeAnswer(const PendingAnswer &answer);
    // The recipients' devices changed: everything queued is encrypted again for the new set.
    StoreResult<Unit> unsealOutbox();

private:
    SqlDatabase &m_db;
};

} // namespace chattermesh::core

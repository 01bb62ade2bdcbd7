// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MessageTypes.h"
#include "SqlDatabase.h"

#include <optional>

namespace chattermesh::core {

struct MemberReceipt {
    QString username;
    qint64 deliveredMs = 0; // 0: not yet
    qint64 readMs = 0;
};

// Receipts and read markers. A 1:1 message moves on the peer's receipts directly; a group message
// has one row per recipient and shows the aggregate (delivered once all have it, read once all
// read it). States only ever move forward. Works inside the caller's transactions.
class ReceiptStore {
public:
    explicit ReceiptStore(SqlDatabase &db) : m_db(db) { }

    // An outgoing group message expects a receipt from each recipient.
    StoreResult<Unit> expect(qint64 message, const QStringList &recipients);
    // Sealing fixes who the message is for (members may have come or gone since it was composed).
    StoreResult<Unit> setRecipients(qint64 message, const QStringList &recipients);
    // Once its ack gave a message its seq: applies the read markers and receipts that arrived
    // before, and derives its state again.
    StoreResult<std::optional<StateChange>> settle(qint64 message);
    StoreResult<std::optional<StateChange>> delivered(
        const QByteArray &clientMsgId, const QString &by, qint64 timeMs);
    // `by` has read everything up to `seq` in the conversation.
    StoreResult<QList<StateChange>> read(qint64 conversation, const QString &by, qint64 seq, qint64 timeMs);

    // My own marker: raised by what I show (or by my other device), never lowered.
    StoreResult<bool> raiseMyMarker(qint64 conversation, qint64 seq);
    StoreResult<Unit> confirmMyMarker(qint64 conversation, qint64 seq); // the server has it
    struct Marker {
        qint64 serverId = 0;
        qint64 seq = 0;
    };
    QList<Marker> unconfirmedMarkers();
    qint64 myMarker(qint64 conversation);
    int unread(qint64 conversation);

    QList<MemberReceipt> receiptsOf(qint64 message);
    // Every member's read marker in a conversation (username → seq, when).
    QList<std::pair<QString, std::pair<qint64, qint64>>> markers(qint64 conversation);

private:
    StoreResult<std::optional<StateChange>> recompute(qint64 message);

    SqlDatabase &m_db;
};

} // namespace chattermesh::core

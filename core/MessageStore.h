// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DraftStore.h"
#include "GroupStore.h"
#include "MessageTypes.h"
#include "OutboxStore.h"
#include "ReceiptStore.h"
#include "SqlDatabase.h"
#include "TransferStore.h"
#include "chattermesh.pb.h"

#include <optional>

namespace chattermesh::core {

// The client's encrypted store: conversations, messages, the outbox and the sync cursor. Owned by
// the engine's thread; every method that changes more than one row does it in one transaction, so
// a kill -9 at any instant leaves either all of a step or none of it.
class MessageStore {
public:
    StoreResult<Unit> open(const QString &path, const DbKey &key);
    void close() { m_db.close(); }
    bool isOpen() const { return m_db.isOpen(); }

    QByteArray meta(const char *key);
    StoreResult<Unit> setMeta(const char *key, const QByteArray &value);
    quint64 inboxCursor();
    // The key store and the end-to-end layer share this database so that a decrypt (which moves
    // a ratchet) and the stored plaintext commit together.
    SqlDatabase &db() { return m_db; }
    StoreResult<Unit> syncWal() { return m_db.isOpen() ? m_db.syncWal() : StoreResult<Unit>(Unit {}); }
    std::optional<StoredMessage> findMessage(const QByteArray &clientMsgId)
    {
        return messageByClientId(clientMsgId);
    }

    // The message (pending) and its outbox row, in one transaction.
    // `content` is the serialized content::Content that goes out encrypted; `body` is what we show.
    StoreResult<StoredMessage> composeText(const QString &me, const QString &peer, const QString &body,
        const QByteArray &content, const QByteArray &clientMsgId, qint64 nowMs);
    // A message to a group, addressed by the group's server id; expects a receipt from each member.
    StoreResult<StoredMessage> composeGroup(const QString &me, qint64 groupServerId, const QString &body,
        const QByteArray &content, MessageKind kind, const QByteArray &clientMsgId, qint64 nowMs);
    // An attachment to `peer`: the message without its outbox row, which waits for the upload.
    StoreResult<StoredMessage> composeMedia(const QString &me, const QString &peer, const QString &body,
        const QByteArray &content, const QByteArray &clientMsgId, qint64 nowMs);
    StoreResult<Unit> setContent(qint64 localId, const QByteArray &content);
    // A message that travels like any other but is never shown (a retry request).
    StoreResult<StoredMessage> composeControl(const QString &me, const QString &peer,
        const QByteArray &content, const QByteArray &clientMsgId, qint64 nowMs);
    // A local notice in the conversation with `peer` (an identity change); never sent.
    StoreResult<StoredMessage> addNotice(const QString &peer, const QString &text, qint64 nowMs);
    // Fails every queued message to `peer` (the user does not exist): nothing waits forever.
    StoreResult<QList<StateChange>> failOutboxFor(const QString &peer, const QString &error);
    QByteArray contentOf(qint64 localId);
    QByteArray clientMsgIdOf(qint64 localId);
    std::optional<qint64> conversationServerId(qint64 localConversation);
    // Marks acked messages sent and drops their outbox rows, in one transaction.
    StoreResult<QList<StateChange>> applyAcks(const QList<AckInfo> &acks);
    StoreResult<StateChange> markFailed(const QByteArray &clientMsgId, const QString &error);

    struct InboundResult {
        QList<StoredMessage> added;
        QList<StateChange> changed;
        QList<StoredMessage> repaired; // undecryptable placeholders the sender's resend filled in
        QList<qint64> readMarkers; // conversations whose read marker my other device raised
        QList<qint64> memberReads; // conversations where someone else's read marker rose
    };
    // Stores mailbox entries and advances the cursor to `cursor`, in one transaction: only after
    // this returns may the entries be acked to the server.
    StoreResult<InboundResult> applyInbound(
        const QList<InboundItem> &items, quint64 cursor, const QString &me);

    StoreResult<QList<ConversationInfo>> conversations();
    std::optional<qint64> conversationForPeer(const QString &peer);
    // The page of `limit` messages before `beforeSeq` (0: the latest page, pending ones included),
    // oldest first.
    static StoreResult<QList<StoredMessage>> page(
        SqlDatabase &db, qint64 conversation, qint64 beforeSeq, int limit);
    StoreResult<QList<StoredMessage>> page(qint64 conversation, qint64 beforeSeq, int limit)
    {
        return page(m_db, conversation, beforeSeq, limit);
    }

private:
    StoreResult<qint64> conversationFor(const proto::Conversation &c, const QString &me);
    StoreResult<qint64> ensurePeerConversation(const QString &peer);
    StoreResult<StoredMessage> compose(const QString &me, const QString &peer, const QString &body,
        const QByteArray &content, MessageKind kind, const QByteArray &clientMsgId, qint64 nowMs);
    StoreResult<StoredMessage> insertOutgoing(qint64 conversation, const QString &me, const QString &body,
        const QByteArray &content, MessageKind kind, const QByteArray &clientMsgId, qint64 nowMs);
    StoreResult<Unit> applyReceipt(const proto::Receipt &receipt, const QString &me, InboundResult *out);
    std::optional<StoredMessage> messageByClientId(const QByteArray &clientMsgId);

    SqlDatabase m_db;
    GroupStore m_groups { m_db };
    ReceiptStore m_receipts { m_db };
    OutboxStore m_outbox { m_db };
    TransferStore m_transfers { m_db };
    DraftStore m_drafts { m_db };

public:
    GroupStore &groups() { return m_groups; }
    ReceiptStore &receipts() { return m_receipts; }
    OutboxStore &outbox() { return m_outbox; }
    TransferStore &transfers() { return m_transfers; }
    DraftStore &drafts() { return m_drafts; }
    std::optional<qint64> conversationByServerId(qint64 serverId);
};

} // namespace chattermesh::core

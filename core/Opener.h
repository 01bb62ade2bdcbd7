// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EndToEnd.h"
#include "MessageStore.h"

namespace chattermesh::core {

// A message one device asks another for (a retry request, or the answer to one).
struct AddressedId {
    crypto::Address device;
    QByteArray clientMsgId;
    QString conversationPeer; // the 1:1 conversation the request travels in
    qint64 group = 0; // or this group (server id), when asking my own device about a group message
};

// The counterpart of Sealer: turns a mailbox entry into what the store keeps (text, a placeholder
// for what cannot be decrypted, a hidden control message) and collects what must follow in the
// same transaction: retry requests to queue, answers to queue, identity changes to show. Decrypting
// moves ratchets, so it runs inside the engine's inbound transaction; it never talks to the network
// and never emits: the engine announces the batch once it is committed.
class Opener {
public:
    struct Failure {
        QByteArray clientMsgId;
        crypto::CryptoError code = crypto::CryptoError::Internal;
        QString message;
    };
    struct Batch {
        QList<AddressedId> retries; // messages to ask their sender for again
        QList<AddressedId> resends; // others' retry requests to answer
        QList<EndToEnd::IdentityNotice> notices;
        QList<Failure> failures; // shown as undecryptable
        QList<QByteArray> replays; // refused as replays, never shown
    };

    Opener(MessageStore &store, EndToEnd &e2e, bool acceptUnencrypted)
        : m_store(store), m_e2e(e2e), m_acceptUnencrypted(acceptUnencrypted)
    { }

    InboundItem open(const proto::MailboxEntry &entry, const QString &me, qint64 nowMs, Batch *batch);

private:
    // Groups: my copy of the sender's key first (pairwise), then the one sender-key ciphertext.
    void openGroup(const proto::Message &m, const QString &me, qint64 nowMs, InboundItem *item, Batch *batch);
    static void keepMedia(const content::Content &c, InboundItem *item);

    MessageStore &m_store;
    EndToEnd &m_e2e;
    bool m_acceptUnencrypted;
};

} // namespace chattermesh::core

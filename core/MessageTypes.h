// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chattermesh.pb.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace chattermesh::core {

// The life of a message. Outgoing ones only move forward: Pending → Sent → Delivered → Read.
// Failed is terminal (the server refused it for good: unknown user, too large).
enum class MessageState : int { Pending = 0, Sent = 1, Delivered = 2, Read = 3, Failed = 4, Received = 10 };

QString stateName(MessageState s);

// What a stored row is. Control rows (retry requests) travel through the outbox but are never shown.
// Media: an attachment (content holds its Media); outgoing ones enter the outbox only once the
// asset service has the bytes.
enum class MessageKind : int {
    Text = 0,
    IdentityNotice = 1,
    Undecryptable = 2,
    Control = 3,
    GroupEvent = 4,
    Media = 5
};

struct StoredMessage {
    qint64 localId = 0;
    qint64 conversation = 0; // local conversation id
    QString peer; // 1:1: the other user
    qint64 conversationServerId = 0; // 0 until the server has seen the conversation
    bool group = false;
    qint64 seq = 0; // 0 while pending
    QByteArray clientMsgId;
    QString sender;
    qint64 senderDevice = 0;
    bool outgoing = false;
    MessageState state = MessageState::Pending;
    QString body;
    qint64 clientTimeMs = 0;
    qint64 serverTimeMs = 0;
    QString error;
    MessageKind kind = MessageKind::Text;
};

struct OutboxItem {
    qint64 localId = 0;
    QByteArray clientMsgId;
    QString peer;
    qint64 conversation = 0; // local id
    bool group = false;
    qint64 conversationServerId = 0;
    QByteArray content; // serialized content::Content, encrypted per device when sent
    QByteArray sealed; // serialized proto::Send once encrypted; empty until then
    qint64 clientTimeMs = 0;
};

// One mailbox entry after decryption, ready for the store.
struct InboundItem {
    enum class Body { Text, Undecryptable, Hidden, GroupEvent, Media };
    proto::MailboxEntry entry; // metadata (the payload is not used) or a receipt
    Body body = Body::Text;
    QString text;
    QByteArray content; // Media: the serialized Content, kept with the message
    QString error;
};

// A retry request to answer: `clientMsgId` again, re-encrypted for one device of `asker`. The
// answer goes out under `answerId` every time, so the server delivers it once however often it
// is retried.
struct PendingAnswer {
    QString asker;
    qint64 device = 0;
    QByteArray clientMsgId;
    QByteArray answerId;
};

struct AckInfo {
    QByteArray clientMsgId;
    qint64 conversationServerId = 0;
    qint64 seq = 0;
    qint64 serverTimeMs = 0;
};

struct StateChange {
    qint64 localId = 0;
    QByteArray clientMsgId;
    MessageState state = MessageState::Pending;
};

struct ConversationInfo {
    qint64 localId = 0;
    qint64 serverId = 0;
    QString peer; // empty for a group
    qint64 lastSeq = 0;
    qint64 lastActivityMs = 0;
    bool group = false;
    QString title; // a group's title
    bool isMember = true;
    int unread = 0; // messages from others after my read marker
    qint64 readSeq = 0; // my read marker
};

inline QString stateName(MessageState s)
{
    switch (s) {
    case MessageState::Pending:
        return QStringLiteral("pending");
    case MessageState::Sent:
        return QStringLiteral("sent");
    case MessageState::Delivered:
        return QStringLiteral("delivered");
    case MessageState::Read:
        return QStringLiteral("read");
    case MessageState::Failed:
        return QStringLiteral("failed");
    case MessageState::Received:
        return QStringLiteral("received");
    }
    return QString();
}

} // namespace chattermesh::core

Q_DECLARE_METATYPE(chattermesh::core::StoredMessage)
Q_DECLARE_METATYPE(chattermesh::core::StateChange)

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The values that cross the storage interface. Plain data only: the operations live in
// StoreBackend, so another backend (PostgreSQL) can be dropped in without touching the handlers.

#include "FrameCodec.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chattermesh::server {

template<typename T> using StoreResult = Result<T, proto::ErrorCode>;

struct TokenGrant {
    QByteArray hash; // SHA-256 of the token; the token itself is never stored
    qint64 expiresMs = 0;
};

struct NewAccount {
    QString username;
    QByteArray salt;
    QByteArray passwordHash;
    int iterations = 0;
    QString deviceName;
    TokenGrant token;
    qint64 nowMs = 0;
};

struct NewDevice {
    quint64 userId = 0;
    QString deviceName;
    TokenGrant token;
    qint64 nowMs = 0;
};

struct Credentials {
    quint64 userId = 0;
    QByteArray salt;
    QByteArray passwordHash;
    int iterations = 0;
};

struct DeviceCiphertext {
    quint32 type = 0;
    std::string ciphertext;
};

struct SendRequest {
    quint64 senderUser = 0;
    quint64 senderDevice = 0;
    std::string clientMsgId;
    std::optional<QString> peerUsername; // a 1:1 send by name; otherwise conversationId
    quint64 conversationId = 0;
    std::string payload;
    // End-to-end: one ciphertext per recipient device (empty: `payload` goes to every device).
    std::map<quint64, DeviceCiphertext> devicePayloads;
    std::string resendOf; // client_msg_id of the sender's earlier message being re-encrypted
    // Sender-key mode (coveredDevices non-empty): `payload` of this type goes to every covered device,
    // with the device's key distribution if it has one.
    quint32 payloadType = 0;
    std::map<quint64, DeviceCiphertext> keyDistributions;
    std::vector<quint64> coveredDevices;
    qint64 nowMs = 0;
};

struct Recipient {
    quint64 deviceId = 0;
    quint64 inboxSeq = 0;
};

// A stored message and the mailbox rows it created. A duplicate has no recipients.
struct SendOutcome {
    proto::Ack ack;
    proto::Message message;
    std::vector<Recipient> recipients;
    std::map<quint64, DeviceCiphertext> devicePayloads; // what each recipient device gets, if per device
    std::map<quint64, DeviceCiphertext> keyDistributions; // sender-key mode: per device, when it has one
    std::optional<proto::DeviceMismatch> mismatch; // with STALE_DEVICES: nothing was stored
};

struct BundleFetch {
    proto::Bundles bundles;
    std::vector<std::pair<quint64, quint32>>
        lowStock; // devices whose one-time prekeys ran low, and how many are left
};

struct DeliveryAckRequest {
    quint64 userId = 0;
    quint64 deviceId = 0;
    QString username;
    quint64 upToInboxSeq = 0;
    qint64 nowMs = 0;
};

struct MailboxPush {
    quint64 deviceId = 0;
    proto::MailboxEntry entry;
};

// CreateGroup (op CREATED) or a GroupChange, as the store applies it.
struct GroupRequest {
    quint64 actorUser = 0;
    quint64 actorDevice = 0;
    proto::GroupOp op = proto::GROUP_OP_NONE;
    quint64 conversationId = 0; // not for CREATED
    QString title; // CREATED, RENAMED
    QStringList usernames; // CREATED: the others; ADDED, REMOVED, PROMOTED, DEMOTED
    bool onlyAdminsSend = false; // CREATED, SEND_POLICY
    int maxMembers = 1024;
    qint64 nowMs = 0;
};

// The system event a group change became and the mailbox rows it created.
struct GroupOutcome {
    proto::Ack ack;
    proto::Message message; // with `event`
    std::vector<Recipient> recipients;
    std::vector<quint64> membersAfter; // user ids
};

struct MarkReadRequest {
    quint64 userId = 0;
    quint64 deviceId = 0;
    quint64 conversationId = 0;
    quint64 upToSeq = 0;
    qint64 nowMs = 0;
};

struct MarkReadOutcome {
    quint64 marker = 0; // the stored marker after this request
    std::vector<MailboxPush> pushes; // READ receipts created (empty when the marker did not rise)
};

// Who may learn that a user came online or went offline.
struct PresenceAudience {
    QString username;
    qint64 lastSeenMs = 0;
    std::vector<quint64> viewers; // user ids sharing a conversation with the user, as its setting allows
};

struct PresenceEntry {
    quint64 userId = 0;
    QString username;
    qint64 lastSeenMs = 0;
    bool visible = false; // false: the user's setting hides it from the asker
};

// How much one mailbox read may return: at most `entries`, and entries whose encoded sizes add up to
// at most `bytes` — except that the first entry always comes, so a page is never empty while entries
// remain (one entry is bounded by the payload limits, which must stay below the frame limit).
struct PageBound {
    int entries = 0;
    qint64 bytes = 0;
};

struct MailboxPage {
    std::vector<proto::MailboxEntry> entries; // ascending inbox_seq
    bool more = false;
    quint64 head = 0; // the device's last allocated inbox_seq
};

} // namespace chattermesh::server

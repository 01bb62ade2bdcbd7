// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The values that cross the storage interface. Plain data only: the operations live in
// StoreBackend, so another backend (PostgreSQL) can be dropped in without touching the handlers.

#include "FrameCodec.h"

#include <QByteArray>
#include <QString>
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

struct MailboxPage {
    std::vector<proto::MailboxEntry> entries; // ascending inbox_seq
    bool more = false;
    quint64 head = 0; // the device's last allocated inbox_seq
};

} // namespace chattermesh::server

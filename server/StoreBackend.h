// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreTypes.h"

#include <vector>

namespace chattermesh::server {

// The narrow set of durable operations the server needs. Every call runs on the Store's writer
// thread inside a batch transaction that the Store opens; an operation that returns a failure has
// its writes rolled back (see Store::runBatch), and nothing is visible to clients before commit.
// An operation may run again in the same batch after a rollback, so it must not keep state outside
// the database that a rollback would not undo. An operation that can fail should check its input
// before its first write: a failure after writing costs its whole batch a replay.
class StoreBackend {
public:
    virtual ~StoreBackend() = default;

    virtual StoreResult<Unit> open() = 0;
    virtual void close() = 0;

    // Group commit frame, driven by Store.
    virtual bool beginBatch() = 0;
    virtual bool commitBatch() = 0;
    virtual void rollbackBatch() = 0;
    virtual bool inBatch() const = 0; // false once the backend aborted the batch transaction itself
    // Rows written so far; a job that fails without moving it wrote nothing to undo.
    virtual qint64 writeCount() const = 0;

    // Accounts, devices, tokens.
    virtual StoreResult<proto::Session> createAccount(const NewAccount &account) = 0;
    virtual StoreResult<std::optional<Credentials>> credentials(const QString &username) = 0;
    virtual StoreResult<proto::Session> addDevice(const NewDevice &device) = 0;
    virtual StoreResult<proto::Session> resume(const QByteArray &tokenHash, qint64 nowMs) = 0;
    virtual StoreResult<std::vector<proto::Device>> listDevices(quint64 userId, quint64 currentDevice) = 0;
    virtual StoreResult<Unit> removeDevice(quint64 userId, quint64 deviceId) = 0;

    // End-to-end keys: a device's public bundle; each one-time prekey is handed out at most once.
    virtual StoreResult<quint32> uploadKeys(quint64 deviceId, const proto::UploadKeys &keys) = 0;
    virtual StoreResult<BundleFetch> fetchBundles(quint64 requesterDevice, const QString &username) = 0;
    virtual StoreResult<quint32> oneTimePreKeyStock(quint64 deviceId) = 0;

    // Messages and mailboxes.
    virtual StoreResult<SendOutcome> send(const SendRequest &request) = 0;
    virtual StoreResult<MailboxPage> mailbox(quint64 deviceId, quint64 afterInboxSeq, PageBound bound) = 0;
    virtual StoreResult<std::vector<MailboxPush>> deliveryAck(const DeliveryAckRequest &request) = 0;

    // Groups: CreateGroup (op CREATED) and GroupChange, each stored as a seq-numbered system event.
    virtual StoreResult<GroupOutcome> changeGroup(const GroupRequest &request) = 0;
    virtual StoreResult<proto::GroupInfo> groupInfo(quint64 userId, quint64 conversationId) = 0;
    // The user ids of a conversation's members (empty for an unknown conversation).
    virtual StoreResult<std::vector<quint64>> memberIds(quint64 conversationId) = 0;

    // Read markers and READ receipts.
    virtual StoreResult<MarkReadOutcome> markRead(const MarkReadRequest &request) = 0;

    // Per-user settings and presence.
    virtual StoreResult<proto::Settings> settings(quint64 userId) = 0;
    virtual StoreResult<proto::Settings> updateSettings(quint64 userId, const proto::Settings &settings) = 0;
    // Going offline persists last seen (nowMs). Returns who may be told.
    virtual StoreResult<PresenceAudience> presenceChanged(quint64 userId, bool online, qint64 nowMs) = 0;
    // Unknown usernames are left out.
    virtual StoreResult<std::vector<PresenceEntry>> presenceOf(
        quint64 askerUser, const QStringList &usernames)
        = 0;
};

} // namespace chattermesh::server

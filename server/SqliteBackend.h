// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SqliteDatabase.h"
#include "SqliteGroups.h"
#include "SqliteKeys.h"
#include "SqliteMailbox.h"
#include "SqliteReadMarkers.h"
#include "SqliteUsers.h"
#include "StoreBackend.h"

#include <QHash>
#include <QStringList>

namespace chattermesh::server {

// StoreBackend on an embedded SQLite file (WAL, synchronous=FULL).
class SqliteBackend final : public StoreBackend {
public:
    explicit SqliteBackend(QString path);
    ~SqliteBackend() override;

    StoreResult<Unit> open() override;
    void close() override;

    bool beginBatch() override;
    bool commitBatch() override;
    void rollbackBatch() override;
    bool inBatch() const override { return m_db.inTransaction(); }
    qint64 writeCount() const override { return m_db.totalChanges(); }

    StoreResult<proto::Session> createAccount(const NewAccount &account) override;
    StoreResult<std::optional<Credentials>> credentials(const QString &username) override;
    StoreResult<proto::Session> addDevice(const NewDevice &device) override;
    StoreResult<proto::Session> resume(const QByteArray &tokenHash, qint64 nowMs) override;
    StoreResult<std::vector<proto::Device>> listDevices(quint64 userId, quint64 currentDevice) override;
    StoreResult<Unit> removeDevice(quint64 userId, quint64 deviceId) override;

    StoreResult<quint32> uploadKeys(quint64 deviceId, const proto::UploadKeys &keys) override
    {
        return m_keys.upload(deviceId, keys);
    }
    StoreResult<BundleFetch> fetchBundles(quint64 requesterDevice, const QString &username) override
    {
        return m_keys.fetch(requesterDevice, username);
    }
    StoreResult<quint32> oneTimePreKeyStock(quint64 deviceId) override { return m_keys.stock(deviceId); }

    StoreResult<SendOutcome> send(const SendRequest &request) override;
    StoreResult<MailboxPage> mailbox(quint64 deviceId, quint64 afterInboxSeq, PageBound bound) override;
    StoreResult<std::vector<MailboxPush>> deliveryAck(const DeliveryAckRequest &request) override;

    StoreResult<GroupOutcome> changeGroup(const GroupRequest &request) override
    {
        return m_groups.change(request);
    }
    StoreResult<proto::GroupInfo> groupInfo(quint64 userId, quint64 conversationId) override
    {
        return m_groups.info(userId, conversationId);
    }
    StoreResult<std::vector<quint64>> memberIds(quint64 conversationId) override
    {
        return m_groups.memberIds(conversationId);
    }
    StoreResult<MarkReadOutcome> markRead(const MarkReadRequest &request) override
    {
        return m_readMarkers.markRead(request);
    }
    StoreResult<proto::Settings> settings(quint64 userId) override { return m_users.settings(userId); }
    StoreResult<proto::Settings> updateSettings(quint64 userId, const proto::Settings &settings) override
    {
        return m_users.updateSettings(userId, settings);
    }
    StoreResult<PresenceAudience> presenceChanged(quint64 userId, bool online, qint64 nowMs) override
    {
        return m_users.presenceChanged(userId, online, nowMs);
    }
    StoreResult<std::vector<PresenceEntry>> presenceOf(
        quint64 askerUser, const QStringList &usernames) override
    {
        return m_users.presenceOf(askerUser, usernames);
    }

private:
    // Each returns nullopt after logging when SQLite fails; callers turn that into INTERNAL.
    std::optional<quint64> insertDevice(quint64 userId, const QString &name, qint64 nowMs);
    bool insertToken(const TokenGrant &token, quint64 deviceId);
    std::optional<quint64> nextInboxSeq(quint64 deviceId);
    std::optional<std::vector<quint64>> liveDevicesOf(quint64 userId);
    std::optional<QString> usernameOf(quint64 userId);
    // Usernames of a 1:1 conversation's members, sorted.
    std::optional<QStringList> membersOf(quint64 conversationId);
    // Fills id and kind, and the members of a 1:1 (a group's travel in GroupInfo); false on failure.
    bool describeConversation(quint64 conversationId, proto::Conversation *conversation);
    std::optional<quint64> findOrCreateDirect(quint64 userA, quint64 userB);
    std::optional<proto::Session> sessionFor(quint64 deviceId);

    Failure<proto::ErrorCode> internal(const char *what) const;
    // For an end-to-end send: the payload devices must be exactly the keyed devices of the members
    // (the sender's own device excepted). Returns the mismatch, empty when they match.
    std::optional<proto::DeviceMismatch> compareDevices(quint64 conversationId, quint64 senderDevice,
        const std::map<quint64, DeviceCiphertext> &payloads, bool subsetAllowed, QString *error);
    StoreResult<SendOutcome> resend(const SendRequest &request);

    QString m_path;
    SqliteDatabase m_db;
    SqliteKeys m_keys { m_db };
    SqliteMailbox m_mailbox { m_db };
    SqliteGroups m_groups { m_db, m_mailbox };
    SqliteReadMarkers m_readMarkers { m_db, m_mailbox };
    SqliteUsers m_users { m_db };
    // The members of a 1:1 and the kind of a conversation never change, so they are read once per
    // process (and forgotten on a rollback, which may have undone the rows they came from).
    QHash<quint64, QStringList> m_memberCache;
    QHash<quint64, int> m_kindCache;
};

} // namespace chattermesh::server

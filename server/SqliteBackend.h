// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SqliteDatabase.h"
#include "SqliteKeys.h"
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
    bool beginJob() override;
    void endJob(bool keep) override;

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
    StoreResult<MailboxPage> mailbox(quint64 deviceId, quint64 afterInboxSeq, int limit) override;
    StoreResult<std::vector<MailboxPush>> deliveryAck(const DeliveryAckRequest &request) override;

private:
    // Each returns nullopt after logging when SQLite fails; callers turn that into INTERNAL.
    std::optional<quint64> insertDevice(quint64 userId, const QString &name, qint64 nowMs);
    bool insertToken(const TokenGrant &token, quint64 deviceId);
    std::optional<quint64> nextInboxSeq(quint64 deviceId);
    std::optional<std::vector<quint64>> liveDevicesOf(quint64 userId);
    std::optional<QString> usernameOf(quint64 userId);
    std::optional<QStringList> membersOf(quint64 conversationId);
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
    // Members of a conversation never change in v1, so the fan-out reads them once per process.
    QHash<quint64, QStringList> m_memberCache;
};

} // namespace chattermesh::server

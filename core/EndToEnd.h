// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SignalContext.h"
#include "SqlDatabase.h"
#include "SqlKeyStore.h"
#include "chattermesh.pb.h"
#include "content.pb.h"

#include <QHash>
#include <QSet>

namespace chattermesh::core {

// The engine's end-to-end half: this device's Signal identity and prekeys, sessions with every
// device of every peer (and of this user's other devices), trust in peers' identity keys, and the
// Content ↔ per-device ciphertext step. Runs on the engine thread; its key writes go through the
// engine's store connection so they share the engine's transactions.
class EndToEnd {
public:
    static constexpr int kPreKeyBatch = 100;
    static constexpr int kPreKeyLowWater = 20;
    static constexpr qint64 kSignedPreKeyMaxAgeMs = 7LL * 24 * 3600 * 1000;

    explicit EndToEnd(SqlDatabase &db);

    // Loads or creates this device's identity. Must run once the store is open.
    crypto::CryptoResult<Unit> init(qint64 nowMs);
    // What to upload after a Session answer (identity and prekeys on first use, a top-up when the
    // stock is low, a new signed prekey when the current one is old); nothing when all is well.
    std::optional<proto::UploadKeys> uploadFor(const proto::Session &session, qint64 nowMs);
    std::optional<proto::UploadKeys> topUp(quint32 remaining);
    // A new signed prekey once the current one is older than kSignedPreKeyMaxAgeMs (for devices
    // that stay connected for days; sign-in checks the same through uploadFor()).
    std::optional<proto::UploadKeys> rotateIfDue(qint64 nowMs);

    struct IdentityNotice {
        QString username;
        bool blocked = false; // the peer was verified: sending stops until the new key is accepted
    };
    // Builds sessions for devices we have none with; returns identity changes to show.
    QList<IdentityNotice> processBundles(const proto::Bundles &bundles, const QString &me, qint64 nowMs);
    void forgetDevices(const QString &username, const QList<qint64> &devices);
    // Whether a send to this user can be encrypted now: its device list was fetched in this run, or
    // sessions from an earlier run exist (the server's STALE_DEVICES corrects us if they are out of
    // date). Fetching needlessly would burn the peer's one-time prekeys.
    bool knowsDevicesOf(const QString &username) const
    {
        return !m_stale.contains(username)
            && (m_fetched.contains(username) || !m_context->sessionDevices(username).isEmpty());
    }
    void markStale(const QString &username)
    {
        m_fetched.remove(username);
        m_stale.insert(username);
    }

    // One ciphertext per known device of each user (this device excepted).
    crypto::CryptoResult<QList<proto::DevicePayload>> encrypt(
        const QStringList &users, const QString &me, qint32 myDevice, const content::Content &content);
    crypto::CryptoResult<QList<proto::DevicePayload>> encryptForDevice(
        const crypto::Address &to, const content::Content &content);
    struct Decrypted {
        content::Content content;
        std::optional<IdentityNotice> notice; // a new key for the sender came with this message
    };
    crypto::CryptoResult<Decrypted> decrypt(const proto::Message &message, const QString &me, qint64 nowMs);
    // Groups (sender keys). My key for a group travels to each member device as a pairwise
    // encrypted Content.sender_key; then one sender-key ciphertext serves every device.
    static constexpr quint32 kSenderKeyType = 4; // libsignal's CIPHERTEXT_SENDERKEY_TYPE
    static QByteArray groupId(qint64 conversation);
    // My sender key's distribution message; `fresh` replaces the key first (a member left).
    crypto::CryptoResult<QByteArray> senderKey(qint64 conversation, const crypto::Address &self, bool fresh);
    crypto::CryptoResult<QByteArray> encryptGroup(
        qint64 conversation, const crypto::Address &self, const content::Content &content);
    crypto::CryptoResult<Unit> acceptSenderKey(
        qint64 conversation, const crypto::Address &sender, const QByteArray &distribution);
    crypto::CryptoResult<content::Content> decryptGroup(
        qint64 conversation, const crypto::Address &sender, const QByteArray &ciphertext);
    QList<qint32> devicesOf(const QString &username) const { return m_context->sessionDevices(username); }

    // After an undecryptable message: drop the broken session so the next fetch rebuilds it.
    void resetSession(const crypto::Address &peer) { m_context->deleteSession(peer); }
    bool hasSession(const crypto::Address &peer) const { return m_context->hasSession(peer); }

    // Trust.
    bool isBlocked(const QString &username);
    bool isVerified(const QString &username);
    bool setVerified(const QString &username, bool verified);
    bool acceptIdentity(const QString &username); // unblocks; the current keys become the trusted ones
    crypto::CryptoResult<crypto::SafetyNumber> safetyNumber(const QString &me, const QString &peer);
    QByteArray identityKey() const { return m_context->identityPublicKey(); }

private:
    bool addRotatedSignedPreKey(proto::UploadKeys &upload, qint64 nowMs);
    std::optional<IdentityNotice> trustKey(const QString &username, qint64 deviceId, const QByteArray &key,
        bool firstContactBatch, const QString &me, qint64 nowMs);
    bool isKnownPeer(const QString &username);

    SqlDatabase &m_db;
    SqlKeyStore m_keys;
    std::unique_ptr<crypto::SignalContext> m_context;
    QSet<QString> m_fetched; // users whose device list we fetched during this run
    QSet<QString> m_stale; // users whose device list we must fetch before the next send
};

} // namespace chattermesh::core

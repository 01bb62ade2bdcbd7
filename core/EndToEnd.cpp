// SPDX-License-Identifier: GPL-3.0-or-later
#include "EndToEnd.h"

#include "SafetyNumber.h"

#include <QLoggingCategory>
#include <algorithm>
#include <sqlite3.h>

namespace chattermesh::core {

Q_LOGGING_CATEGORY(lcE2e, "chattermesh.core.e2e")

using crypto::Address;
using crypto::CryptoError;
using crypto::CryptoResult;

namespace {

Failure<CryptoError> cryptoFailure(CryptoError code, const QString &message)
{
    return Failure<CryptoError> { code, message };
}

crypto::PreKeyBundle toBundle(const proto::DeviceBundle &b)
{
    crypto::PreKeyBundle out;
    out.registrationId = b.registration_id();
    out.deviceId = qint32(b.device_id());
    out.identityKey = QByteArray::fromStdString(b.identity_key());
    out.signedPreKey = { b.signed_pre_key().id(), QByteArray::fromStdString(b.signed_pre_key().public_key()),
        QByteArray::fromStdString(b.signed_pre_key().signature()), b.signed_pre_key().created_ms() };
    if (b.has_one_time_pre_key())
        out.oneTimePreKey = crypto::OneTimePreKeyPublic { b.one_time_pre_key().id(),
            QByteArray::fromStdString(b.one_time_pre_key().public_key()) };
    return out;
}

void addPreKeys(proto::UploadKeys &upload, const QList<crypto::OneTimePreKeyPublic> &keys)
{
    for (const auto &k : keys) {
        auto *p = upload.add_one_time_pre_keys();
        p->set_id(k.id);
        p->set_public_key(k.publicKey.toStdString());
    }
}

void setSignedPreKey(proto::UploadKeys &upload, const crypto::SignedPreKeyPublic &spk)
{
    auto *s = upload.mutable_signed_pre_key();
    s->set_id(spk.id);
    s->set_public_key(spk.publicKey.toStdString());
    s->set_signature(spk.signature.toStdString());
    s->set_created_ms(spk.createdMs);
}

} // namespace

EndToEnd::EndToEnd(SqlDatabase &db) : m_db(db), m_keys(db) { }

CryptoResult<Unit> EndToEnd::init(qint64 nowMs)
{
    auto ctx = crypto::SignalContext::create(m_keys);
    if (!ctx)
        return ctx.error();
    m_context = std::move(ctx).value();
    if (m_context->hasIdentity())
        return Unit {};
    Transaction tx(m_db);
    auto r = m_context->generateIdentity(nowMs);
    if (!r)
        return r;
    if (!tx.commit())
        return cryptoFailure(CryptoError::StoreFailed, QStringLiteral("could not store the new identity"));
    return Unit {};
}

std::optional<proto::UploadKeys> EndToEnd::uploadFor(const proto::Session &session, qint64 nowMs)
{
    proto::UploadKeys upload;
    bool needed = false;
    Transaction tx(m_db);
    if (!session.keys_uploaded()) {
        upload.set_identity_key(m_context->identityPublicKey().toStdString());
        upload.set_registration_id(m_context->registrationId());
        setSignedPreKey(upload, m_context->currentSignedPreKey());
        auto keys = m_context->generateOneTimePreKeys(kPreKeyBatch);
        if (keys)
            addPreKeys(upload, keys.value());
        needed = true;
    } else {
        if (session.one_time_pre_keys() < quint32(kPreKeyLowWater)) {
            if (auto keys
                = m_context->generateOneTimePreKeys(kPreKeyBatch - int(session.one_time_pre_keys())))
                addPreKeys(upload, keys.value());
            needed = true;
        }
        needed = addRotatedSignedPreKey(upload, nowMs) || needed;
    }
    if (!needed || !tx.commit())
        return std::nullopt;
    return upload;
}

bool EndToEnd::addRotatedSignedPreKey(proto::UploadKeys &upload, qint64 nowMs)
{
    if (nowMs - m_context->currentSignedPreKey().createdMs <= kSignedPreKeyMaxAgeMs)
        return false;
    auto spk = m_context->rotateSignedPreKey(nowMs);
    if (!spk)
        return false;
    setSignedPreKey(upload, spk.value());
    upload.set_registration_id(m_context->registrationId());
    return true;
}

std::optional<proto::UploadKeys> EndToEnd::rotateIfDue(qint64 nowMs)
{
    Transaction tx(m_db);
    proto::UploadKeys upload;
    if (!addRotatedSignedPreKey(upload, nowMs) || !tx.commit())
        return std::nullopt;
    return upload;
}

std::optional<proto::UploadKeys> EndToEnd::topUp(quint32 remaining)
{
    if (remaining >= quint32(kPreKeyLowWater))
        return std::nullopt;
    Transaction tx(m_db);
    auto keys = m_context->generateOneTimePreKeys(kPreKeyBatch - int(remaining));
    if (!keys || !tx.commit())
        return std::nullopt;
    proto::UploadKeys upload;
    addPreKeys(upload, keys.value());
    return upload;
}

bool EndToEnd::isKnownPeer(const QString &username)
{
    // `peers` remembers everyone we ever trusted keys of, even after all their devices are gone:
    // a key after that is a change to show, never a silent first contact.
    auto &q = m_db.prepared("SELECT 1 FROM peers WHERE username = ?");
    return q.bind(1, username).step();
}

std::optional<EndToEnd::IdentityNotice> EndToEnd::trustKey(const QString &username, qint64 deviceId,
    const QByteArray &key, bool firstContactBatch, const QString &me, qint64 nowMs)
{
    auto &q = m_db.prepared("SELECT identity_key FROM peer_keys WHERE username = ? AND device_id = ?");
    q.bind(1, username).bind(2, deviceId);
    if (q.step() && q.blob(0) == key)
        return std::nullopt;
    auto &put = m_db.prepared("INSERT OR REPLACE INTO peer_keys(username, device_id, identity_key, "
                              "first_seen_ms) VALUES(?, ?, ?, ?)");
    put.bind(1, username).bind(2, deviceId).bind(3, key).bind(4, nowMs).exec();
    m_db.prepared("INSERT OR IGNORE INTO peers(username) VALUES(?)").bind(1, username).exec();
    // The first keys ever seen for someone are trusted on first use; any key after that is a change
    // of their safety number (a new device or a reinstall) and is shown. That includes a new
    // device on my own account: whoever controls the server could otherwise add one unnoticed.
    if (firstContactBatch)
        return std::nullopt;
    IdentityNotice notice { username, false };
    if (username != me && isVerified(username)) {
        m_db.prepared("UPDATE peers SET blocked = 1 WHERE username = ?").bind(1, username).exec();
        notice.blocked = true;
    }
    qCInfo(lcE2e) << "new identity key for" << username << "device" << deviceId;
    return notice;
}

QList<EndToEnd::IdentityNotice> EndToEnd::processBundles(
    const proto::Bundles &bundles, const QString &me, qint64 nowMs)
{
    const QString user = QString::fromStdString(bundles.username());
    const bool firstContact = !isKnownPeer(user);
    QList<IdentityNotice> notices;
    QList<qint32> current;
    for (const proto::DeviceBundle &b : bundles.devices()) {
        const Address addr { user, qint32(b.device_id()) };
        current.append(addr.deviceId);
        if (!m_context->hasSession(addr)) {
            if (auto r = m_context->processBundle(addr, toBundle(b)); !r) {
                qCWarning(lcE2e) << "bundle of" << user << b.device_id() << "rejected:" << r.error().message;
                continue;
            }
        }
        auto notice = trustKey(user, qint64(b.device_id()), QByteArray::fromStdString(b.identity_key()),
            firstContact, me, nowMs);
        if (notice && std::none_of(notices.begin(), notices.end(), [&](const IdentityNotice &n) {
                return n.username == notice->username;
            }))
            notices.append(*notice);
    }
    // My own device list, once seen (even empty), is the baseline: a device added later is news.
    if (user == me)
        m_db.prepared("INSERT OR IGNORE INTO peers(username) VALUES(?)").bind(1, me).exec();
    // Devices the server no longer lists are gone: no more ciphertexts for them.
    for (qint32 d : m_context->sessionDevices(user))
        if (!current.contains(d))
            m_context->deleteSession({ user, d });
    m_fetched.insert(user);
    m_stale.remove(user);
    return notices;
}

void EndToEnd::forgetDevices(const QString &username, const QList<qint64> &devices)
{
    // A removed device leaves the safety number too, or both sides would compare different digits.
    for (qint64 d : devices) {
        m_context->deleteSession({ username, qint32(d) });
        m_db.prepared("DELETE FROM peer_keys WHERE username = ? AND device_id = ?")
            .bind(1, username)
            .bind(2, d)
            .exec();
    }
}

CryptoResult<QList<proto::DevicePayload>> EndToEnd::encrypt(
    const QStringList &users, const QString &me, qint32 myDevice, const content::Content &content)
{
    const QByteArray plain = QByteArray::fromStdString(content.SerializeAsString());
    QList<proto::DevicePayload> out;
    for (const QString &user : users) {
        for (qint32 device : m_context->sessionDevices(user)) {
            if (user == me && device == myDevice)
                continue;
            auto ct = m_context->encrypt({ user, device }, plain);
            if (!ct)
                return ct.error();
            proto::DevicePayload p;
            p.set_device_id(quint64(device));
            p.set_type(quint32(ct.value().type));
            p.set_ciphertext(ct.value().bytes.toStdString());
            out.append(std::move(p));
        }
    }
    return out;
}

CryptoResult<QList<proto::DevicePayload>> EndToEnd::encryptForDevice(
    const Address &to, const content::Content &content)
{
    auto ct = m_context->encrypt(to, QByteArray::fromStdString(content.SerializeAsString()));
    if (!ct)
        return ct.error();
    proto::DevicePayload p;
    p.set_device_id(quint64(to.deviceId));
    p.set_type(quint32(ct.value().type));
    p.set_ciphertext(ct.value().bytes.toStdString());
    return QList<proto::DevicePayload> { p };
}

CryptoResult<EndToEnd::Decrypted> EndToEnd::decrypt(
    const proto::Message &message, const QString &me, qint64 nowMs)
{
    const Address from { QString::fromStdString(message.sender()), qint32(message.sender_device()) };
    const bool firstContact = !isKnownPeer(from.name);
    crypto::Ciphertext ct { crypto::Ciphertext::Type(message.payload_type()),
        QByteArray::fromStdString(message.payload()) };
    auto plain = m_context->decrypt(from, ct);
    if (!plain)
        return plain.error();
    Decrypted out;
    if (!out.content.ParseFromArray(plain.value().constData(), int(plain.value().size())))
        return cryptoFailure(CryptoError::InvalidMessage, QStringLiteral("decrypted content does not parse"));
    if (ct.type == crypto::Ciphertext::PreKey) {
        if (auto key = m_context->peerIdentity(from.name))
            out.notice = trustKey(from.name, from.deviceId, *key, firstContact, me, nowMs);
    }
    return out;
}

QByteArray EndToEnd::groupId(qint64 conversation)
{
    return QByteArrayLiteral("chattermesh-group-") + QByteArray::number(conversation);
}

CryptoResult<QByteArray> EndToEnd::senderKey(qint64 conversation, const Address &self, bool fresh)
{
    if (fresh)
        m_context->deleteSenderKey(groupId(conversation), self);
    return m_context->senderKeyDistribution(groupId(conversation), self);
}

CryptoResult<QByteArray> EndToEnd::encryptGroup(
    qint64 conversation, const Address &self, const content::Content &content)
{
    return m_context->groupEncrypt(
        groupId(conversation), self, QByteArray::fromStdString(content.SerializeAsString()));
}

CryptoResult<Unit> EndToEnd::acceptSenderKey(
    qint64 conversation, const Address &sender, const QByteArray &distribution)
{
    return m_context->processSenderKeyDistribution(groupId(conversation), sender, distribution);
}

CryptoResult<content::Content> EndToEnd::decryptGroup(
    qint64 conversation, const Address &sender, const QByteArray &ciphertext)
{
    auto plain = m_context->groupDecrypt(groupId(conversation), sender, ciphertext);
    if (!plain)
        return plain.error();
    content::Content c;
    if (!c.ParseFromArray(plain.value().constData(), int(plain.value().size())))
        return cryptoFailure(CryptoError::InvalidMessage, QStringLiteral("decrypted content does not parse"));
    return c;
}

bool EndToEnd::isBlocked(const QString &username)
{
    auto &q = m_db.prepared("SELECT blocked FROM peers WHERE username = ?");
    return q.bind(1, username).step() && q.int64(0) != 0;
}

bool EndToEnd::isVerified(const QString &username)
{
    auto &q = m_db.prepared("SELECT verified FROM peers WHERE username = ?");
    return q.bind(1, username).step() && q.int64(0) != 0;
}

bool EndToEnd::setVerified(const QString &username, bool verified)
{
    m_db.prepared("INSERT OR IGNORE INTO peers(username) VALUES(?)").bind(1, username).exec();
    auto &q = m_db.prepared("UPDATE peers SET verified = ?, blocked = 0 WHERE username = ?");
    return q.bind(1, verified ? 1 : 0).bind(2, username).exec() == SQLITE_DONE;
}

bool EndToEnd::acceptIdentity(const QString &username)
{
    auto &q = m_db.prepared("UPDATE peers SET blocked = 0 WHERE username = ?");
    return q.bind(1, username).exec() == SQLITE_DONE;
}

CryptoResult<crypto::SafetyNumber> EndToEnd::safetyNumber(const QString &me, const QString &peer)
{
    auto keysOf = [this](const QString &user) {
        QList<QByteArray> keys;
        auto &q = m_db.prepared("SELECT identity_key FROM peer_keys WHERE username = ? ORDER BY device_id");
        q.bind(1, user);
        while (q.step())
            keys.append(q.blob(0));
        return keys;
    };
    QList<QByteArray> mine = keysOf(me);
    mine.append(m_context->identityPublicKey());
    const QList<QByteArray> theirs = keysOf(peer);
    if (theirs.isEmpty())
        return cryptoFailure(
            CryptoError::NoSession, QStringLiteral("no identity key known for %1 yet").arg(peer));
    return crypto::safetyNumber(me, mine, peer, theirs);
}

} // namespace chattermesh::core

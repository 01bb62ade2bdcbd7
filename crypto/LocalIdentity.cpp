// SPDX-License-Identifier: GPL-3.0-or-later
#include "LocalIdentity.h"

#include "CryptoLog.h"
#include "SignalError.h"

#include <signal/key_helper.h>
#include <signal/session_pre_key.h>

namespace chattermesh::crypto {

using Kind = KeyStore::Kind;

namespace {

const QByteArray kIdentityKeyPair = QByteArrayLiteral("identity_key_pair");
const QByteArray kRegistrationId = QByteArrayLiteral("registration_id");
const QByteArray kSignedPreKeyId = QByteArrayLiteral("signed_pre_key_id");
const QByteArray kNextPreKeyId = QByteArrayLiteral("next_pre_key_id");

// Prekey ids run 1..0xFFFFFE: libsignal treats 0xFFFFFF (PRE_KEY_MEDIUM_MAX_VALUE) as a last-resort
// key that is never deleted, and its own id generator wraps the same way.
constexpr quint32 kIdSpan = PRE_KEY_MEDIUM_MAX_VALUE - 1;
quint32 nextId(quint32 id)
{
    return id % kIdSpan + 1;
}

QByteArray serializedPublic(const ec_public_key *key)
{
    BufferPtr buffer;
    if (ec_public_key_serialize(buffer.out(), key) < 0)
        return {};
    return toByteArray(buffer.get());
}

} // namespace

std::optional<quint32> LocalIdentity::loadNumber(const QByteArray &key) const
{
    const std::optional<QByteArray> value = keys().load(Kind::Local, key);
    bool ok = false;
    const quint32 n = value ? value->toUInt(&ok) : 0;
    return ok ? std::optional<quint32>(n) : std::nullopt;
}

bool LocalIdentity::storeNumber(const QByteArray &key, quint32 value)
{
    return keys().store(Kind::Local, key, QByteArray::number(value));
}

CryptoResult<Unit> LocalIdentity::adopt(SignalPtr<ratchet_identity_key_pair> pair, quint32 registrationId)
{
    BufferPtr privateKey;
    if (ec_private_key_serialize(privateKey.out(), ratchet_identity_key_pair_get_private(pair.get())) < 0)
        return cryptoFailure(CryptoError::Internal, QStringLiteral("serialize identity private key failed"));
    m_publicKey = serializedPublic(ratchet_identity_key_pair_get_public(pair.get()));
    if (m_publicKey.isEmpty())
        return cryptoFailure(CryptoError::Internal, QStringLiteral("serialize identity public key failed"));
    m_pair = std::move(pair);
    m_registrationId = registrationId;
    m_bridge.setLocalIdentity(m_publicKey, toByteArray(privateKey.get()), registrationId);
    return Unit {};
}

CryptoResult<Unit> LocalIdentity::load()
{
    const std::optional<QByteArray> serialized = keys().load(Kind::Local, kIdentityKeyPair);
    if (!serialized)
        return Unit {};
    const std::optional<quint32> registrationId = loadNumber(kRegistrationId);
    const std::optional<quint32> signedId = loadNumber(kSignedPreKeyId);
    if (!registrationId || !signedId)
        return cryptoFailure(CryptoError::Internal, QStringLiteral("stored identity is incomplete"));
    SignalPtr<ratchet_identity_key_pair> pair;
    const int rc = ratchet_identity_key_pair_deserialize(
        pair.out(), bytes(*serialized), size_t(serialized->size()), m_global);
    if (rc < 0)
        return signalFailure(rc, "load identity key pair");
    if (auto r = adopt(std::move(pair), *registrationId); !r)
        return r;
    auto spk = loadSignedPreKey(*signedId);
    if (!spk)
        return spk.error();
    m_signedPreKey = spk.value();
    return Unit {};
}

CryptoResult<Unit> LocalIdentity::generate(qint64 nowMs)
{
    if (exists())
        return cryptoFailure(CryptoError::Internal,
            QStringLiteral("generate identity: this store already holds one; use a fresh store"));
    uint32_t registrationId = 0;
    SignalPtr<ratchet_identity_key_pair> pair;
    int rc = signal_protocol_key_helper_generate_registration_id(&registrationId, 0, m_global);
    if (rc >= 0)
        rc = signal_protocol_key_helper_generate_identity_key_pair(pair.out(), m_global);
    if (rc < 0)
        return signalFailure(rc, "generate identity");
    BufferPtr serialized;
    if ((rc = ratchet_identity_key_pair_serialize(serialized.out(), pair.get())) < 0)
        return signalFailure(rc, "serialize identity");
    if (auto r = adopt(std::move(pair), registrationId); !r)
        return r;
    // Until everything is persisted, this device has no identity.
    auto rollBack = [this](Failure<CryptoError> f) -> CryptoResult<Unit> {
        m_pair.reset();
        m_bridge.setLocalIdentity({}, {}, 0);
        return f;
    };
    auto spk = createSignedPreKey(1, nowMs);
    if (!spk)
        return rollBack(spk.error());
    // The key pair goes last: a store holding it holds everything else it needs.
    if (!storeNumber(kRegistrationId, registrationId) || !storeNumber(kSignedPreKeyId, 1)
        || (!keys().load(Kind::Local, kNextPreKeyId) && !storeNumber(kNextPreKeyId, 1))
        || !keys().store(Kind::Local, kIdentityKeyPair, toByteArray(serialized.get())))
        return rollBack(
            cryptoFailure(CryptoError::StoreFailed, QStringLiteral("could not persist the new identity")));
    m_signedPreKey = spk.value();
    qCDebug(lcCrypto) << "generated identity, registration id" << registrationId;
    return Unit {};
}

CryptoResult<SignedPreKeyPublic> LocalIdentity::createSignedPreKey(quint32 id, qint64 nowMs)
{
    SignalPtr<session_signed_pre_key> key;
    int rc = signal_protocol_key_helper_generate_signed_pre_key(
        key.out(), m_pair.get(), id, uint64_t(nowMs), m_global);
    if (rc >= 0)
        rc = signal_protocol_signed_pre_key_store_key(m_store, key.get());
    if (rc < 0)
        return signalFailure(rc, "create signed prekey");
    const uint8_t *signature = session_signed_pre_key_get_signature(key.get());
    return SignedPreKeyPublic { id,
        serializedPublic(ec_key_pair_get_public(session_signed_pre_key_get_key_pair(key.get()))),
        QByteArray(reinterpret_cast<const char *>(signature),
            qsizetype(session_signed_pre_key_get_signature_len(key.get()))),
        nowMs };
}

CryptoResult<SignedPreKeyPublic> LocalIdentity::loadSignedPreKey(quint32 id)
{
    SignalPtr<session_signed_pre_key> key;
    const int rc = signal_protocol_signed_pre_key_load_key(m_store, key.out(), id);
    if (rc < 0)
        return signalFailure(rc, "load signed prekey");
    const uint8_t *signature = session_signed_pre_key_get_signature(key.get());
    return SignedPreKeyPublic { id,
        serializedPublic(ec_key_pair_get_public(session_signed_pre_key_get_key_pair(key.get()))),
        QByteArray(reinterpret_cast<const char *>(signature),
            qsizetype(session_signed_pre_key_get_signature_len(key.get()))),
        qint64(session_signed_pre_key_get_timestamp(key.get())) };
}

CryptoResult<SignedPreKeyPublic> LocalIdentity::rotateSignedPreKey(qint64 nowMs)
{
    if (!exists())
        return cryptoFailure(CryptoError::NoIdentity, QStringLiteral("rotate signed prekey: no identity"));
    const quint32 previous = m_signedPreKey.id;
    const quint32 id = nextId(previous);
    auto spk = createSignedPreKey(id, nowMs);
    if (!spk)
        return spk;
    if (!storeNumber(kSignedPreKeyId, id))
        return cryptoFailure(
            CryptoError::StoreFailed, QStringLiteral("rotate signed prekey: could not persist its id"));
    m_signedPreKey = spk.value();
    // Messages built on the previous key may still be in flight; anything older is expired.
    for (const QByteArray &key : keys().keysWithPrefix(Kind::SignedPreKey, {})) {
        if (key != SignalStoreBridge::idKey(id) && key != SignalStoreBridge::idKey(previous)
            && !keys().remove(Kind::SignedPreKey, key))
            qCWarning(lcCrypto) << "could not delete an expired signed prekey";
    }
    return spk;
}

CryptoResult<QList<OneTimePreKeyPublic>> LocalIdentity::generateOneTimePreKeys(int count)
{
    if (!exists())
        return cryptoFailure(CryptoError::NoIdentity, QStringLiteral("generate prekeys: no identity"));
    if (count < 0 || quint32(count) > kIdSpan)
        return cryptoFailure(
            CryptoError::Internal, QStringLiteral("generate prekeys: bad count %1").arg(count));
    QList<OneTimePreKeyPublic> out;
    if (count == 0)
        return out;
    quint32 start = loadNumber(kNextPreKeyId).value_or(1);
    if (start < 1 || start > kIdSpan)
        start = 1;
    // The counter moves first: a failure below wastes ids but can never hand out one id twice.
    const quint32 last = (start - 1 + quint32(count) - 1) % kIdSpan + 1;
    if (!storeNumber(kNextPreKeyId, nextId(last)))
        return cryptoFailure(
            CryptoError::StoreFailed, QStringLiteral("generate prekeys: could not persist the counter"));
    CPtr<signal_protocol_key_helper_pre_key_list_node, signal_protocol_key_helper_key_list_free> head;
    int rc = signal_protocol_key_helper_generate_pre_keys(head.out(), start, unsigned(count), m_global);
    if (rc < 0)
        return signalFailure(rc, "generate prekeys");
    out.reserve(count);
    for (auto *node = head.get(); node; node = signal_protocol_key_helper_key_list_next(node)) {
        session_pre_key *key = signal_protocol_key_helper_key_list_element(node);
        if ((rc = signal_protocol_pre_key_store_key(m_store, key)) < 0)
            return signalFailure(rc, "store prekey");
        out.append({ session_pre_key_get_id(key),
            serializedPublic(ec_key_pair_get_public(session_pre_key_get_key_pair(key))) });
    }
    return out;
}

int LocalIdentity::storedOneTimePreKeys() const
{
    return int(keys().keysWithPrefix(Kind::PreKey, {}).size());
}

} // namespace chattermesh::crypto

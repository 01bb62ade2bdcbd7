// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalContext.h"

#include "CryptoLog.h"
#include "GlobalContext.h"
#include "GroupCipherSet.h"
#include "LocalIdentity.h"
#include "SessionCipherCache.h"
#include "SignalError.h"
#include "SignalStoreBridge.h"

#include <QMutexLocker>
#include <signal/protocol.h>
#include <signal/session_builder.h>
#include <signal/session_cipher.h>
#include <signal/session_pre_key.h>
#include <signal/session_record.h>
#include <signal/session_state.h>

namespace chattermesh::crypto {

using Kind = KeyStore::Kind;

// Members in construction order; destruction runs backwards, so ciphers go before the store
// context they point at, and that before the global context.
struct SignalContext::Impl {
    explicit Impl(KeyStore &store) : bridge(store) { }

    std::unique_ptr<GlobalContext> global;
    SignalStoreBridge bridge;
    CPtr<signal_protocol_store_context, signal_protocol_store_context_destroy> store;
    std::unique_ptr<LocalIdentity> identity;
    std::unique_ptr<SessionCipherCache> sessions;
    std::unique_ptr<GroupCipherSet> groups;
    IdentityChanged onIdentityChanged;

    signal_context *ctx() const { return global->get(); }
    QRecursiveMutex &mutex() const { return global->mutex(); }
    int finishIdentities(int rc);
    void reportIdentityChanges();
    // A stored session whose current state can encrypt (has a sending chain).
    bool canSend(const signal_protocol_address *address);
    Failure<CryptoError> encryptFailure(int rc, const signal_protocol_address *address);
};

namespace {

Failure<CryptoError> noIdentity(const char *operation)
{
    return cryptoFailure(CryptoError::NoIdentity,
        QStringLiteral("%1: this device has no identity yet").arg(QLatin1String(operation)));
}

SignalPtr<ec_public_key> decodeKey(const QByteArray &serialized, signal_context *global)
{
    SignalPtr<ec_public_key> key;
    if (serialized.isEmpty()
        || curve_decode_point(key.out(), bytes(serialized), size_t(serialized.size()), global) < 0)
        key.reset();
    return key;
}

} // namespace

// Keeps the identities libsignal saved during an operation only if the operation succeeded.
int SignalContext::Impl::finishIdentities(int rc)
{
    if (rc < 0) {
        bridge.discardIdentities();
        return rc;
    }
    const int committed = bridge.commitIdentities();
    reportIdentityChanges();
    return committed < 0 ? committed : rc;
}

void SignalContext::Impl::reportIdentityChanges()
{
    const QList<SignalStoreBridge::IdentityChange> changes = bridge.takeIdentityChanges();
    if (!onIdentityChanged)
        return;
    for (const SignalStoreBridge::IdentityChange &c : changes)
        onIdentityChanged(c.name, c.oldKey, c.newKey);
}

bool SignalContext::Impl::canSend(const signal_protocol_address *address)
{
    SignalPtr<session_record> record;
    if (signal_protocol_session_contains_session(store.get(), address) != 1
        || signal_protocol_session_load_session(store.get(), record.out(), address) < 0 || !record)
        return false;
    const session_state *state = session_record_get_state(record.get());
    return state && session_state_has_sender_chain(state);
}

Failure<CryptoError> SignalContext::Impl::encryptFailure(int rc, const signal_protocol_address *address)
{
    // session_cipher_encrypt answers a bare SG_ERR_UNKNOWN both without a session and when the
    // stored session has no sending chain (upstream bug #129). Either way the cure is a fresh
    // bundle, so both are NoSession; the message tells them apart.
    if (rc == SG_ERR_UNKNOWN && !canSend(address)) {
        if (signal_protocol_session_contains_session(store.get(), address) != 1)
            return cryptoFailure(
                CryptoError::NoSession, QStringLiteral("encrypt: no session with this device"));
        return cryptoFailure(CryptoError::NoSession,
            QStringLiteral(
                "encrypt: the session has no sending chain (libsignal bug #129); fetch a new bundle"));
    }
    return signalFailure(rc, "encrypt");
}

SignalContext::SignalContext(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) { }

SignalContext::~SignalContext() = default;

CryptoResult<std::unique_ptr<SignalContext>> SignalContext::create(KeyStore &store)
{
    auto impl = std::make_unique<Impl>(store);
    auto global = GlobalContext::create();
    if (!global)
        return global.error();
    impl->global = std::move(global).value();
    int rc = signal_protocol_store_context_create(impl->store.out(), impl->ctx());
    if (rc >= 0)
        rc = impl->bridge.install(impl->store.get());
    if (rc < 0)
        return signalFailure(rc, "create store context");
    impl->identity = std::make_unique<LocalIdentity>(impl->bridge, impl->store.get(), impl->ctx());
    impl->sessions = std::make_unique<SessionCipherCache>(impl->store.get(), impl->ctx());
    impl->groups = std::make_unique<GroupCipherSet>(impl->store.get(), impl->ctx());
    if (auto loaded = impl->identity->load(); !loaded)
        return loaded.error();
    return std::unique_ptr<SignalContext>(new SignalContext(std::move(impl)));
}

void SignalContext::setIdentityChangedHandler(IdentityChanged handler)
{
    QMutexLocker lock(&m_impl->mutex());
    m_impl->onIdentityChanged = std::move(handler);
}

// --- own identity and prekeys -----------------------------------------------------------------

bool SignalContext::hasIdentity() const
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->exists();
}

CryptoResult<Unit> SignalContext::generateIdentity(qint64 nowMs)
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->generate(nowMs);
}

quint32 SignalContext::registrationId() const
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->registrationId();
}

QByteArray SignalContext::identityPublicKey() const
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->publicKey();
}

SignedPreKeyPublic SignalContext::currentSignedPreKey() const
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->currentSignedPreKey();
}

CryptoResult<SignedPreKeyPublic> SignalContext::rotateSignedPreKey(qint64 nowMs)
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->rotateSignedPreKey(nowMs);
}

CryptoResult<QList<OneTimePreKeyPublic>> SignalContext::generateOneTimePreKeys(int count)
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->generateOneTimePreKeys(count);
}

int SignalContext::storedOneTimePreKeys() const
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->identity->storedOneTimePreKeys();
}

// --- pairwise sessions ------------------------------------------------------------------------

CryptoResult<Unit> SignalContext::processBundle(const Address &peer, const PreKeyBundle &bundle)
{
    QMutexLocker lock(&m_impl->mutex());
    if (!m_impl->identity->exists())
        return noIdentity("process bundle");
    signal_context *global = m_impl->ctx();
    const SignalPtr<ec_public_key> identityKey = decodeKey(bundle.identityKey, global);
    const SignalPtr<ec_public_key> signedPreKey = decodeKey(bundle.signedPreKey.publicKey, global);
    SignalPtr<ec_public_key> oneTimePreKey;
    if (bundle.oneTimePreKey)
        oneTimePreKey = decodeKey(bundle.oneTimePreKey->publicKey, global);
    // libsignal dereferences the signature without checking it exists: reject a wrong size here.
    if (!identityKey || !signedPreKey || (bundle.oneTimePreKey && !oneTimePreKey)
        || bundle.signedPreKey.signature.size() != CURVE_SIGNATURE_LEN)
        return cryptoFailure(
            CryptoError::InvalidKey, QStringLiteral("process bundle: a key does not decode"));

    SignalPtr<session_pre_key_bundle> signalBundle;
    int rc = session_pre_key_bundle_create(signalBundle.out(), bundle.registrationId, bundle.deviceId,
        bundle.oneTimePreKey ? bundle.oneTimePreKey->id : 0, oneTimePreKey.get(), bundle.signedPreKey.id,
        signedPreKey.get(), bytes(bundle.signedPreKey.signature),
        size_t(bundle.signedPreKey.signature.size()), identityKey.get());
    if (rc < 0)
        return signalFailure(rc, "process bundle");
    CPtr<session_builder, session_builder_free> builder;
    rc = session_builder_create(builder.out(), m_impl->store.get(), m_impl->sessions->address(peer), global);
    if (rc >= 0)
        rc = m_impl->finishIdentities(
            session_builder_process_pre_key_bundle(builder.get(), signalBundle.get()));
    if (rc < 0)
        return signalFailure(rc, "process bundle");
    return Unit {};
}

bool SignalContext::hasSession(const Address &peer) const
{
    QMutexLocker lock(&m_impl->mutex());
    const QByteArray name = peer.name.toUtf8();
    const signal_protocol_address address { name.constData(), size_t(name.size()), peer.deviceId };
    return m_impl->canSend(&address);
}

QList<qint32> SignalContext::sessionDevices(const QString &name) const
{
    QMutexLocker lock(&m_impl->mutex());
    const QByteArray prefix = SignalStoreBridge::namePrefix(name.toUtf8());
    QList<qint32> devices;
    for (const QByteArray &key : m_impl->bridge.store().keysWithPrefix(Kind::Session, prefix)) {
        bool ok = false;
        const qint32 device = key.mid(prefix.size()).toInt(&ok);
        if (ok)
            devices.append(device);
    }
    return devices;
}

void SignalContext::deleteSession(const Address &peer)
{
    QMutexLocker lock(&m_impl->mutex());
    if (!m_impl->bridge.store().remove(
            Kind::Session, SignalStoreBridge::addressKey(peer.name.toUtf8(), peer.deviceId)))
        qCWarning(lcCrypto) << "could not delete the session with" << peer.name << peer.deviceId;
    m_impl->sessions->forget(peer);
}

CryptoResult<Ciphertext> SignalContext::encrypt(const Address &peer, const QByteArray &plaintext)
{
    QMutexLocker lock(&m_impl->mutex());
    if (!m_impl->identity->exists())
        return noIdentity("encrypt");
    int rc = 0;
    session_cipher *cipher = m_impl->sessions->cipher(peer, &rc);
    if (!cipher)
        return signalFailure(rc, "create session cipher");
    SignalPtr<ciphertext_message> message;
    rc = session_cipher_encrypt(cipher, bytes(plaintext), size_t(plaintext.size()), message.out());
    if (rc < 0)
        return m_impl->encryptFailure(rc, m_impl->sessions->address(peer));
    const auto type = ciphertext_message_get_type(message.get()) == CIPHERTEXT_PREKEY_TYPE
        ? Ciphertext::PreKey
        : Ciphertext::Whisper;
    return Ciphertext { type, toByteArray(ciphertext_message_get_serialized(message.get())) };
}

CryptoResult<QByteArray> SignalContext::decrypt(const Address &peer, const Ciphertext &message)
{
    QMutexLocker lock(&m_impl->mutex());
    if (!m_impl->identity->exists())
        return noIdentity("decrypt");
    int rc = 0;
    session_cipher *cipher = m_impl->sessions->cipher(peer, &rc);
    if (!cipher)
        return signalFailure(rc, "create session cipher");
    const uint8_t *data = bytes(message.bytes);
    const size_t len = size_t(message.bytes.size());
    BufferPtr plaintext;
    if (message.type == Ciphertext::PreKey) {
        SignalPtr<pre_key_signal_message> parsed;
        if ((rc = pre_key_signal_message_deserialize(parsed.out(), data, len, m_impl->ctx())) < 0)
            return parseFailure(rc, "parse prekey message");
        rc = m_impl->finishIdentities(
            session_cipher_decrypt_pre_key_signal_message(cipher, parsed.get(), nullptr, plaintext.out()));
    } else if (message.type == Ciphertext::Whisper) {
        SignalPtr<signal_message> parsed;
        if ((rc = signal_message_deserialize(parsed.out(), data, len, m_impl->ctx())) < 0)
            return parseFailure(rc, "parse message");
        rc = session_cipher_decrypt_signal_message(cipher, parsed.get(), nullptr, plaintext.out());
    } else {
        return cryptoFailure(CryptoError::InvalidMessage,
            QStringLiteral("decrypt: unknown ciphertext type %1").arg(int(message.type)));
    }
    if (rc < 0)
        return signalFailure(rc, "decrypt");
    return toByteArray(plaintext.get());
}

std::optional<QByteArray> SignalContext::peerIdentity(const QString &name) const
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->bridge.store().load(Kind::Identity, name.toUtf8());
}

std::optional<QByteArray> SignalContext::peerIdentity(const Address &peer) const
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->bridge.store().load(
        Kind::Identity, SignalStoreBridge::addressKey(peer.name.toUtf8(), peer.deviceId));
}

// --- sender keys ------------------------------------------------------------------------------

CryptoResult<QByteArray> SignalContext::senderKeyDistribution(const QByteArray &groupId, const Address &self)
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->groups->distribution(groupId, self);
}

CryptoResult<Unit> SignalContext::processSenderKeyDistribution(
    const QByteArray &groupId, const Address &sender, const QByteArray &distribution)
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->groups->process(groupId, sender, distribution);
}

CryptoResult<QByteArray> SignalContext::groupEncrypt(
    const QByteArray &groupId, const Address &self, const QByteArray &plaintext)
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->groups->encrypt(groupId, self, plaintext);
}

CryptoResult<QByteArray> SignalContext::groupDecrypt(
    const QByteArray &groupId, const Address &sender, const QByteArray &ciphertext)
{
    QMutexLocker lock(&m_impl->mutex());
    return m_impl->groups->decrypt(groupId, sender, ciphertext);
}

void SignalContext::deleteSenderKey(const QByteArray &groupId, const Address &sender)
{
    QMutexLocker lock(&m_impl->mutex());
    // libsignal has no delete callback for sender keys: the record goes straight from the store.
    if (!m_impl->bridge.store().remove(
            Kind::SenderKey, SignalStoreBridge::senderKeyKey(groupId, sender.name.toUtf8(), sender.deviceId)))
        qCWarning(lcCrypto) << "could not delete a sender key of" << sender.name << sender.deviceId;
}

} // namespace chattermesh::crypto

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Address.h"
#include "Ciphertext.h"
#include "CryptoError.h"
#include "KeyStore.h"
#include "PreKeyBundle.h"
#include "SafetyNumber.h" // part of the same API: callers reach everything through this header

#include <QList>
#include <functional>
#include <memory>

namespace chattermesh::crypto {

// Called when a peer presents an identity key its name never showed before (trust on first use:
// the very first key of a name is stored silently). Called after the operation that saw it, never
// from inside libsignal, and once per distinct new key however many devices present it.
using IdentityChanged
    = std::function<void(const QString &name, const QByteArray &oldKey, const QByteArray &newKey)>;

// The Signal protocol state of one account on one device: identity, prekeys, pairwise sessions
// and sender-key groups, persisted through a KeyStore. Not copyable. Use it from one thread (the
// KeyStore is called synchronously from inside every method); it is also internally locked with a
// recursive mutex, which is the lock libsignal itself takes.
class SignalContext {
public:
    static CryptoResult<std::unique_ptr<SignalContext>> create(KeyStore &store);
    ~SignalContext();
    SignalContext(const SignalContext &) = delete;
    SignalContext &operator=(const SignalContext &) = delete;

    void setIdentityChangedHandler(IdentityChanged handler);

    // --- own identity and prekeys
    bool hasIdentity() const;
    // Registration id, identity key pair and signed prekey id 1, persisted. Fails (Internal) when the
    // store already holds an identity: replacing it would silently break every session.
    CryptoResult<Unit> generateIdentity(qint64 nowMs);
    quint32 registrationId() const;
    QByteArray identityPublicKey() const; // serialized: 33 bytes, type byte 0x05 first
    SignedPreKeyPublic currentSignedPreKey() const;
    // A new id; keeps the previous key for sessions in flight and deletes older ones.
    CryptoResult<SignedPreKeyPublic> rotateSignedPreKey(qint64 nowMs);
    // Ids continue from a persisted counter and wrap below 0xFFFFFF; the private halves are stored.
    CryptoResult<QList<OneTimePreKeyPublic>> generateOneTimePreKeys(int count);
    int storedOneTimePreKeys() const;

    // --- pairwise sessions
    // Builds a session from a bundle. Never UntrustedIdentity: a changed key is stored and reported
    // to the IdentityChanged handler.
    CryptoResult<Unit> processBundle(const Address &peer, const PreKeyBundle &bundle);
    // True when a stored session can encrypt: one stuck without a sending chain (libsignal bug
    // #129) counts as none, so callers rebuild it from a bundle.
    bool hasSession(const Address &peer) const;
    QList<qint32> sessionDevices(const QString &name) const;
    void deleteSession(const Address &peer);
    CryptoResult<Ciphertext> encrypt(const Address &peer, const QByteArray &plaintext);
    // PreKey messages build the receiving side of the session and consume the one-time prekey.
    CryptoResult<QByteArray> decrypt(const Address &peer, const Ciphertext &message);
    // The newest identity key stored for any device of the name (the trusted one: changes are
    // accepted and reported), or for one device.
    std::optional<QByteArray> peerIdentity(const QString &name) const;
    std::optional<QByteArray> peerIdentity(const Address &peer) const;

    // --- sender keys (groups); groupId is opaque bytes, sender/self a device address
    // Creates the own sender key on first use; returns the serialized distribution message.
    CryptoResult<QByteArray> senderKeyDistribution(const QByteArray &groupId, const Address &self);
    CryptoResult<Unit> processSenderKeyDistribution(
        const QByteArray &groupId, const Address &sender, const QByteArray &distribution);
    CryptoResult<QByteArray> groupEncrypt(
        const QByteArray &groupId, const Address &self, const QByteArray &plaintext);
    CryptoResult<QByteArray> groupDecrypt(
        const QByteArray &groupId, const Address &sender, const QByteArray &ciphertext);
    // Rotation: the next senderKeyDistribution for this address creates a fresh key.
    void deleteSenderKey(const QByteArray &groupId, const Address &sender);

private:
    struct Impl;
    explicit SignalContext(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> m_impl;
};

} // namespace chattermesh::crypto

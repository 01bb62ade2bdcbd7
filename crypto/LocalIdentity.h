// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/.
#pragma once

#include "CryptoError.h"
#include "KeyStore.h"
#include "PreKeyBundle.h"
#include "SignalPtr.h"
#include "SignalStoreBridge.h"

#include <QList>

namespace chattermesh::crypto {

// This device's own keys: registration id, identity key pair, signed prekeys (current + previous)
// and the one-time prekey stock with its persisted id counter.
class LocalIdentity {
public:
    LocalIdentity(SignalStoreBridge &bridge, signal_protocol_store_context *store, signal_context *global)
        : m_bridge(bridge), m_store(store), m_global(global)
    { }
    LocalIdentity(const LocalIdentity &) = delete;
    LocalIdentity &operator=(const LocalIdentity &) = delete;

    // Reads a persisted identity, if any; an unreadable one is an error, a missing one is not.
    CryptoResult<Unit> load();
    CryptoResult<Unit> generate(qint64 nowMs);
    bool exists() const { return bool(m_pair); }

    quint32 registrationId() const { return m_registrationId; }
    QByteArray publicKey() const { return m_publicKey; }
    SignedPreKeyPublic currentSignedPreKey() const { return m_signedPreKey; }
    CryptoResult<SignedPreKeyPublic> rotateSignedPreKey(qint64 nowMs);
    CryptoResult<QList<OneTimePreKeyPublic>> generateOneTimePreKeys(int count);
    int storedOneTimePreKeys() const;

private:
    CryptoResult<SignedPreKeyPublic> createSignedPreKey(quint32 id, qint64 nowMs);
    CryptoResult<SignedPreKeyPublic> loadSignedPreKey(quint32 id);
    CryptoResult<Unit> adopt(SignalPtr<ratchet_identity_key_pair> pair, quint32 registrationId);
    std::optional<quint32> loadNumber(const QByteArray &key) const;
    bool storeNumber(const QByteArray &key, quint32 value);
    KeyStore &keys() const { return m_bridge.store(); }

    SignalStoreBridge &m_bridge;
    signal_protocol_store_context *m_store;
    signal_context *m_global;
    SignalPtr<ratchet_identity_key_pair> m_pair;
    quint32 m_registrationId = 0;
    QByteArray m_publicKey;
    SignedPreKeyPublic m_signedPreKey;
};

} // namespace chattermesh::crypto

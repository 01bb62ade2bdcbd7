// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/.
#pragma once

#include "KeyStore.h"

#include <QList>
#include <QString>
#include <signal/signal_protocol.h>
#include <utility>

namespace chattermesh::crypto {

// libsignal's five store interfaces (session, pre key, signed pre key, identity, sender key) as C
// callbacks over one KeyStore. The callbacks run synchronously inside libsignal calls, under the
// context lock. Return conventions differ per callback and follow signal_protocol.h exactly: e.g.
// load_session answers 1/0, load_pre_key answers SG_SUCCESS/SG_ERR_INVALID_KEY_ID.
class SignalStoreBridge {
public:
    struct IdentityChange {
        QString name;
        QByteArray oldKey;
        QByteArray newKey;
    };

    explicit SignalStoreBridge(KeyStore &store) : m_store(store) { }
    SignalStoreBridge(const SignalStoreBridge &) = delete;
    SignalStoreBridge &operator=(const SignalStoreBridge &) = delete;

    // Registers the callbacks; this object must outlive the store context.
    int install(signal_protocol_store_context *context);

    // What get_identity_key_pair / get_local_registration_id answer (serialized keys).
    void setLocalIdentity(const QByteArray &publicKey, const QByteArray &privateKey, quint32 registrationId);

    // save_identity only queues: libsignal 2.3.3 saves a peer's identity from a PreKey message
    // before it has checked the message's MAC, so a forged message could otherwise plant a key.
    // The caller commits once the whole operation succeeded, or discards.
    int commitIdentities();
    void discardIdentities() { m_pendingIdentities.clear(); }

    // Identity changes committed since the last call. The caller reports them once libsignal has
    // returned, so a handler never runs inside a callback.
    QList<IdentityChange> takeIdentityChanges() { return std::exchange(m_changes, {}); }

    KeyStore &store() { return m_store; }

    // Key layout in the KeyStore. 0x1f separates parts; device ids and key ids are decimal.
    static QByteArray addressKey(const QByteArray &name, qint32 deviceId);
    static QByteArray namePrefix(const QByteArray &name) { return name + '\x1f'; }
    static QByteArray idKey(quint32 id) { return QByteArray::number(id); }
    static QByteArray senderKeyKey(const QByteArray &groupId, const QByteArray &name, qint32 deviceId);

private:
    static int loadSession(signal_buffer **record, signal_buffer **userRecord,
        const signal_protocol_address *address, void *user);
    static int subDeviceSessions(signal_int_list **sessions, const char *name, size_t nameLen, void *user);
    static int storeSession(const signal_protocol_address *address, uint8_t *record, size_t recordLen,
        uint8_t *userRecord, size_t userRecordLen, void *user);
    static int containsSession(const signal_protocol_address *address, void *user);
    static int deleteSession(const signal_protocol_address *address, void *user);
    static int deleteAllSessions(const char *name, size_t nameLen, void *user);

    static int loadPreKey(signal_buffer **record, uint32_t id, void *user);
    static int storePreKey(uint32_t id, uint8_t *record, size_t len, void *user);
    static int containsPreKey(uint32_t id, void *user);
    static int removePreKey(uint32_t id, void *user);

    static int loadSignedPreKey(signal_buffer **record, uint32_t id, void *user);
    static int storeSignedPreKey(uint32_t id, uint8_t *record, size_t len, void *user);
    static int containsSignedPreKey(uint32_t id, void *user);
    static int removeSignedPreKey(uint32_t id, void *user);

    static int identityKeyPair(signal_buffer **publicData, signal_buffer **privateData, void *user);
    static int localRegistrationId(void *user, uint32_t *registrationId);
    static int saveIdentity(const signal_protocol_address *address, uint8_t *key, size_t keyLen, void *user);
    static int isTrustedIdentity(
        const signal_protocol_address *address, uint8_t *key, size_t keyLen, void *user);

    static int storeSenderKey(const signal_protocol_sender_key_name *name, uint8_t *record, size_t len,
        uint8_t *userRecord, size_t userRecordLen, void *user);
    static int loadSenderKey(signal_buffer **record, signal_buffer **userRecord,
        const signal_protocol_sender_key_name *name, void *user);

    int loadInto(KeyStore::Kind kind, const QByteArray &key, signal_buffer **out, int found, int missing);
    int put(KeyStore::Kind kind, const QByteArray &key, const uint8_t *data, size_t len);
    int recordIdentity(const QByteArray &name, qint32 deviceId, const QByteArray &key);

    KeyStore &m_store;
    QByteArray m_identityPublic;
    QByteArray m_identityPrivate;
    quint32 m_registrationId = 0;
    struct PendingIdentity {
        QByteArray name;
        qint32 deviceId;
        QByteArray key;
    };
    QList<PendingIdentity> m_pendingIdentities;
    QList<IdentityChange> m_changes;
};

} // namespace chattermesh::crypto

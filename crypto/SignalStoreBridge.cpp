// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalStoreBridge.h"

#include "CryptoLog.h"
#include "SignalError.h"
#include "SignalPtr.h"

namespace chattermesh::crypto {

using Kind = KeyStore::Kind;

namespace {

SignalStoreBridge *self(void *user)
{
    return static_cast<SignalStoreBridge *>(user);
}

QByteArray nameOf(const signal_protocol_address *a)
{
    return QByteArray(a->name, qsizetype(a->name_len));
}

QByteArray keyOf(const signal_protocol_address *a)
{
    return SignalStoreBridge::addressKey(nameOf(a), a->device_id);
}

QByteArray keyOf(const signal_protocol_sender_key_name *n)
{
    return SignalStoreBridge::senderKeyKey(
        QByteArray(n->group_id, qsizetype(n->group_id_len)), nameOf(&n->sender), n->sender.device_id);
}

QByteArray copyOf(const uint8_t *data, size_t len)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(len));
}

} // namespace

QByteArray SignalStoreBridge::addressKey(const QByteArray &name, qint32 deviceId)
{
    return namePrefix(name) + QByteArray::number(deviceId);
}

QByteArray SignalStoreBridge::senderKeyKey(const QByteArray &groupId, const QByteArray &name, qint32 deviceId)
{
    // Group ids are arbitrary bytes: hex keeps the separator unambiguous.
    return groupId.toHex() + '\x1f' + addressKey(name, deviceId);
}

int SignalStoreBridge::install(signal_protocol_store_context *context)
{
    signal_protocol_session_store sessions {};
    sessions.load_session_func = &loadSession;
    sessions.get_sub_device_sessions_func = &subDeviceSessions;
    sessions.store_session_func = &storeSession;
    sessions.contains_session_func = &containsSession;
    sessions.delete_session_func = &deleteSession;
    sessions.delete_all_sessions_func = &deleteAllSessions;
    sessions.user_data = this;

    signal_protocol_pre_key_store preKeys {};
    preKeys.load_pre_key = &loadPreKey;
    preKeys.store_pre_key = &storePreKey;
    preKeys.contains_pre_key = &containsPreKey;
    preKeys.remove_pre_key = &removePreKey;
    preKeys.user_data = this;

    signal_protocol_signed_pre_key_store signedPreKeys {};
    signedPreKeys.load_signed_pre_key = &loadSignedPreKey;
    signedPreKeys.store_signed_pre_key = &storeSignedPreKey;
    signedPreKeys.contains_signed_pre_key = &containsSignedPreKey;
    signedPreKeys.remove_signed_pre_key = &removeSignedPreKey;
    signedPreKeys.user_data = this;

    signal_protocol_identity_key_store identities {};
    identities.get_identity_key_pair = &identityKeyPair;
    identities.get_local_registration_id = &localRegistrationId;
    identities.save_identity = &saveIdentity;
    identities.is_trusted_identity = &isTrustedIdentity;
    identities.user_data = this;

    signal_protocol_sender_key_store senderKeys {};
    senderKeys.store_sender_key = &storeSenderKey;
    senderKeys.load_sender_key = &loadSenderKey;
    senderKeys.user_data = this;

    int rc = 0;
    if ((rc = signal_protocol_store_context_set_session_store(context, &sessions)) < 0
        || (rc = signal_protocol_store_context_set_pre_key_store(context, &preKeys)) < 0
        || (rc = signal_protocol_store_context_set_signed_pre_key_store(context, &signedPreKeys)) < 0
        || (rc = signal_protocol_store_context_set_identity_key_store(context, &identities)) < 0
        || (rc = signal_protocol_store_context_set_sender_key_store(context, &senderKeys)) < 0)
        return rc;
    return 0;
}

void SignalStoreBridge::setLocalIdentity(
    const QByteArray &publicKey, const QByteArray &privateKey, quint32 registrationId)
{
    m_identityPublic = publicKey;
    m_identityPrivate = privateKey;
    m_registrationId = registrationId;
}

int SignalStoreBridge::loadInto(Kind kind, const QByteArray &key, signal_buffer **out, int found, int missing)
{
    const std::optional<QByteArray> value = m_store.load(kind, key);
    if (!value)
        return missing;
    *out = signal_buffer_create(reinterpret_cast<const uint8_t *>(value->constData()), size_t(value->size()));
    return *out ? found : SG_ERR_NOMEM;
}

int SignalStoreBridge::put(Kind kind, const QByteArray &key, const uint8_t *data, size_t len)
{
    if (m_store.store(kind, key, copyOf(data, len)))
        return 0;
    qCWarning(lcCrypto) << "key store write failed, kind" << int(kind);
    return kStoreFailedCode;
}

// --- sessions ---------------------------------------------------------------------------------

int SignalStoreBridge::loadSession(
    signal_buffer **record, signal_buffer **, const signal_protocol_address *address, void *user)
{
    return self(user)->loadInto(Kind::Session, keyOf(address), record, 1, 0);
}

int SignalStoreBridge::subDeviceSessions(
    signal_int_list **sessions, const char *name, size_t nameLen, void *user)
{
    const QByteArray prefix = namePrefix(QByteArray(name, qsizetype(nameLen)));
    signal_int_list *list = signal_int_list_alloc();
    if (!list)
        return SG_ERR_NOMEM;
    for (const QByteArray &key : self(user)->m_store.keysWithPrefix(Kind::Session, prefix)) {
        bool ok = false;
        const int device = key.mid(prefix.size()).toInt(&ok);
        if (ok && signal_int_list_push_back(list, device) < 0) {
            signal_int_list_free(list);
            return SG_ERR_NOMEM;
        }
    }
    *sessions = list;
    return int(signal_int_list_size(list));
}

int SignalStoreBridge::storeSession(
    const signal_protocol_address *address, uint8_t *record, size_t recordLen, uint8_t *, size_t, void *user)
{
    return self(user)->put(Kind::Session, keyOf(address), record, recordLen);
}

int SignalStoreBridge::containsSession(const signal_protocol_address *address, void *user)
{
    return self(user)->m_store.load(Kind::Session, keyOf(address)) ? 1 : 0;
}

int SignalStoreBridge::deleteSession(const signal_protocol_address *address, void *user)
{
    KeyStore &store = self(user)->m_store;
    const QByteArray key = keyOf(address);
    const bool existed = store.load(Kind::Session, key).has_value();
    if (!store.remove(Kind::Session, key))
        return kStoreFailedCode;
    return existed ? 1 : 0;
}

int SignalStoreBridge::deleteAllSessions(const char *name, size_t nameLen, void *user)
{
    KeyStore &store = self(user)->m_store;
    int removed = 0;
    for (const QByteArray &key :
        store.keysWithPrefix(Kind::Session, namePrefix(QByteArray(name, qsizetype(nameLen))))) {
        if (!store.remove(Kind::Session, key))
            return kStoreFailedCode;
        ++removed;
    }
    return removed;
}

// --- one-time and signed prekeys --------------------------------------------------------------

int SignalStoreBridge::loadPreKey(signal_buffer **record, uint32_t id, void *user)
{
    return self(user)->loadInto(Kind::PreKey, idKey(id), record, SG_SUCCESS, SG_ERR_INVALID_KEY_ID);
}

int SignalStoreBridge::storePreKey(uint32_t id, uint8_t *record, size_t len, void *user)
{
    return self(user)->put(Kind::PreKey, idKey(id), record, len);
}

int SignalStoreBridge::containsPreKey(uint32_t id, void *user)
{
    return self(user)->m_store.load(Kind::PreKey, idKey(id)) ? 1 : 0;
}

int SignalStoreBridge::removePreKey(uint32_t id, void *user)
{
    return self(user)->m_store.remove(Kind::PreKey, idKey(id)) ? 0 : kStoreFailedCode;
}

int SignalStoreBridge::loadSignedPreKey(signal_buffer **record, uint32_t id, void *user)
{
    return self(user)->loadInto(Kind::SignedPreKey, idKey(id), record, SG_SUCCESS, SG_ERR_INVALID_KEY_ID);
}

int SignalStoreBridge::storeSignedPreKey(uint32_t id, uint8_t *record, size_t len, void *user)
{
    return self(user)->put(Kind::SignedPreKey, idKey(id), record, len);
}

int SignalStoreBridge::containsSignedPreKey(uint32_t id, void *user)
{
    return self(user)->m_store.load(Kind::SignedPreKey, idKey(id)) ? 1 : 0;
}

int SignalStoreBridge::removeSignedPreKey(uint32_t id, void *user)
{
    return self(user)->m_store.remove(Kind::SignedPreKey, idKey(id)) ? 0 : kStoreFailedCode;
}

// --- identities -------------------------------------------------------------------------------

int SignalStoreBridge::identityKeyPair(signal_buffer **publicData, signal_buffer **privateData, void *user)
{
    const SignalStoreBridge *s = self(user);
    if (s->m_identityPublic.isEmpty())
        return SG_ERR_INVALID_KEY;
    *publicData = signal_buffer_create(bytes(s->m_identityPublic), size_t(s->m_identityPublic.size()));
    *privateData = signal_buffer_create(bytes(s->m_identityPrivate), size_t(s->m_identityPrivate.size()));
    return *publicData && *privateData ? 0 : SG_ERR_NOMEM;
}

int SignalStoreBridge::localRegistrationId(void *user, uint32_t *registrationId)
{
    *registrationId = self(user)->m_registrationId;
    return 0;
}

int SignalStoreBridge::saveIdentity(
    const signal_protocol_address *address, uint8_t *key, size_t keyLen, void *user)
{
    // 2.3.3 never passes null; later upstream versions do, to take back a key after a failed
    // decrypt, which the queue already achieves.
    if (!key)
        return 0;
    self(user)->m_pendingIdentities.append({ nameOf(address), address->device_id, copyOf(key, keyLen) });
    return 0;
}

int SignalStoreBridge::commitIdentities()
{
    const QList<PendingIdentity> pending = std::exchange(m_pendingIdentities, {});
    for (const PendingIdentity &p : pending) {
        if (const int rc = recordIdentity(p.name, p.deviceId, p.key); rc < 0)
            return rc;
    }
    return 0;
}

int SignalStoreBridge::isTrustedIdentity(const signal_protocol_address *, uint8_t *, size_t, void *)
{
    // Trust on first use, and keep talking after a change: the change is recorded when libsignal
    // saves the new key and reported to the app, which shows it and offers the new safety number.
    return 1;
}

int SignalStoreBridge::recordIdentity(const QByteArray &name, qint32 deviceId, const QByteArray &key)
{
    // libsignal works per device, trust and safety numbers per user: each device's key is kept
    // under name+device, the latest one under the bare name. A key the name has never shown before
    // is a change, reported once, however many devices then present it.
    const QByteArray deviceKey = addressKey(name, deviceId);
    const std::optional<QByteArray> previous = m_store.load(Kind::Identity, deviceKey);
    const std::optional<QByteArray> latest = m_store.load(Kind::Identity, name);
    if (previous == key && latest == key)
        return 0;
    bool known = !latest || latest == key || previous == key;
    if (!known) {
        for (const QByteArray &other : m_store.keysWithPrefix(Kind::Identity, namePrefix(name))) {
            if (m_store.load(Kind::Identity, other) == key) {
                known = true;
                break;
            }
        }
    }
    if (previous != key && !m_store.store(Kind::Identity, deviceKey, key))
        return kStoreFailedCode;
    if (latest != key && !m_store.store(Kind::Identity, name, key))
        return kStoreFailedCode;
    if (!known) {
        qCInfo(lcCrypto) << "identity key changed for" << QString::fromUtf8(name) << "device" << deviceId;
        m_changes.append({ QString::fromUtf8(name), previous.value_or(*latest), key });
    }
    return 0;
}

// --- sender keys ------------------------------------------------------------------------------

int SignalStoreBridge::storeSenderKey(
    const signal_protocol_sender_key_name *name, uint8_t *record, size_t len, uint8_t *, size_t, void *user)
{
    return self(user)->put(Kind::SenderKey, keyOf(name), record, len);
}

int SignalStoreBridge::loadSenderKey(
    signal_buffer **record, signal_buffer **, const signal_protocol_sender_key_name *name, void *user)
{
    return self(user)->loadInto(Kind::SenderKey, keyOf(name), record, 1, 0);
}

} // namespace chattermesh::crypto

// SPDX-License-Identifier: GPL-3.0-or-later
#include "GroupCipherSet.h"

#include "SignalError.h"

#include <signal/protocol.h>
#include <signal/sender_key_record.h>

namespace chattermesh::crypto {

GroupCipherSet::Entry &GroupCipherSet::entry(const QByteArray &groupId, const Address &sender)
{
    std::unique_ptr<Entry> &slot = m_entries[Key(groupId, sender)];
    if (!slot) {
        slot = std::make_unique<Entry>();
        slot->groupId = groupId;
        slot->name = sender.name.toUtf8();
        slot->keyName.group_id = slot->groupId.constData();
        slot->keyName.group_id_len = size_t(slot->groupId.size());
        slot->keyName.sender.name = slot->name.constData();
        slot->keyName.sender.name_len = size_t(slot->name.size());
        slot->keyName.sender.device_id = sender.deviceId;
    }
    return *slot;
}

int GroupCipherSet::ensureBuilder()
{
    if (m_builder)
        return 0;
    return group_session_builder_create(m_builder.out(), m_store, m_global);
}

int GroupCipherSet::cipherFor(Entry &e)
{
    if (e.cipher)
        return 0;
    return group_cipher_create(e.cipher.out(), m_store, &e.keyName, m_global);
}

CryptoResult<QByteArray> GroupCipherSet::distribution(const QByteArray &groupId, const Address &self)
{
    Entry &e = entry(groupId, self);
    SignalPtr<sender_key_distribution_message> message;
    int rc = ensureBuilder();
    if (rc >= 0)
        rc = group_session_builder_create_session(m_builder.get(), message.out(), &e.keyName);
    if (rc < 0)
        return signalFailure(rc, "create sender key distribution");
    return toByteArray(
        ciphertext_message_get_serialized(reinterpret_cast<ciphertext_message *>(message.get())));
}

CryptoResult<Unit> GroupCipherSet::process(
    const QByteArray &groupId, const Address &sender, const QByteArray &distribution)
{
    SignalPtr<sender_key_distribution_message> message;
    int rc = sender_key_distribution_message_deserialize(
        message.out(), bytes(distribution), size_t(distribution.size()), m_global);
    if (rc < 0)
        return parseFailure(rc, "parse sender key distribution");
    Entry &e = entry(groupId, sender);
    rc = ensureBuilder();
    if (rc >= 0)
        rc = group_session_builder_process_session(m_builder.get(), &e.keyName, message.get());
    if (rc < 0)
        return signalFailure(rc, "process sender key distribution");
    return Unit {};
}

CryptoResult<QByteArray> GroupCipherSet::encrypt(
    const QByteArray &groupId, const Address &self, const QByteArray &plaintext)
{
    Entry &e = entry(groupId, self);
    SignalPtr<ciphertext_message> message;
    int rc = cipherFor(e);
    if (rc >= 0)
        rc = group_cipher_encrypt(e.cipher.get(), bytes(plaintext), size_t(plaintext.size()), message.out());
    if (rc < 0)
        return signalFailure(rc, "group encrypt");
    return toByteArray(ciphertext_message_get_serialized(message.get()));
}

CryptoResult<QByteArray> GroupCipherSet::decrypt(
    const QByteArray &groupId, const Address &sender, const QByteArray &ciphertext)
{
    SignalPtr<sender_key_message> message;
    int rc = sender_key_message_deserialize(
        message.out(), bytes(ciphertext), size_t(ciphertext.size()), m_global);
    if (rc < 0)
        return parseFailure(rc, "parse group message");
    Entry &e = entry(groupId, sender);
    BufferPtr plaintext;
    rc = cipherFor(e);
    if (rc >= 0)
        rc = group_cipher_decrypt(e.cipher.get(), message.get(), nullptr, plaintext.out());
    if (rc == SG_ERR_INVALID_MESSAGE && !knowsKeyId(e, sender_key_message_get_key_id(message.get()))) {
        // libsignal folds "no state with this key id" into INVALID_MESSAGE. It means the sender
        // rotated and we were not sent the new distribution: recoverable, unlike a corrupt message.
        return cryptoFailure(CryptoError::NoSession,
            QStringLiteral(
                "group decrypt failed: no sender key with this id (rotated without a new distribution?)"));
    }
    if (rc < 0)
        return signalFailure(rc, "group decrypt");
    return toByteArray(plaintext.get());
}

bool GroupCipherSet::knowsKeyId(const Entry &e, uint32_t keyId)
{
    SignalPtr<sender_key_record> record;
    if (signal_protocol_sender_key_load_key(m_store, record.out(), &e.keyName) < 0 || !record)
        return false;
    sender_key_state *state = nullptr; // borrowed from the record
    return sender_key_record_get_sender_key_state_by_id(record.get(), &state, keyId) >= 0;
}

} // namespace chattermesh::crypto

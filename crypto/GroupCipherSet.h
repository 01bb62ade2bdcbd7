// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/.
#pragma once

#include "Address.h"
#include "CryptoError.h"
#include "SignalPtr.h"

#include <signal/group_cipher.h>
#include <signal/group_session_builder.h>
#include <unordered_map>

namespace chattermesh::crypto {

// Sender-key groups: one group_cipher per (group, sending device), plus the one builder that creates
// and imports distribution messages. Like session ciphers, group ciphers keep a pointer to their
// sender_key_name and its buffers, so each entry is heap allocated and stays put.
class GroupCipherSet {
public:
    GroupCipherSet(signal_protocol_store_context *store, signal_context *global)
        : m_store(store), m_global(global)
    { }
    GroupCipherSet(const GroupCipherSet &) = delete;
    GroupCipherSet &operator=(const GroupCipherSet &) = delete;

    CryptoResult<QByteArray> distribution(const QByteArray &groupId, const Address &self);
    CryptoResult<Unit> process(
        const QByteArray &groupId, const Address &sender, const QByteArray &distribution);
    CryptoResult<QByteArray> encrypt(
        const QByteArray &groupId, const Address &self, const QByteArray &plaintext);
    CryptoResult<QByteArray> decrypt(
        const QByteArray &groupId, const Address &sender, const QByteArray &ciphertext);

private:
    struct Entry {
        QByteArray groupId; // NUL-terminated copies: libsignal logs both with %s
        QByteArray name;
        signal_protocol_sender_key_name keyName {};
        CPtr<group_cipher, group_cipher_free> cipher;
    };
    using Key = std::pair<QByteArray, Address>;

    Entry &entry(const QByteArray &groupId, const Address &sender);
    int ensureBuilder();
    int cipherFor(Entry &e);
    bool knowsKeyId(const Entry &e, uint32_t keyId);

    signal_protocol_store_context *m_store;
    signal_context *m_global;
    CPtr<group_session_builder, group_session_builder_free> m_builder;
    struct Hash {
        size_t operator()(const Key &k) const noexcept { return qHashMulti(0, k.first, k.second); }
    };
    std::unordered_map<Key, std::unique_ptr<Entry>, Hash> m_entries;
};

} // namespace chattermesh::crypto

// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/.
#pragma once

#include "Address.h"
#include "SignalPtr.h"

#include <signal/session_cipher.h>
#include <unordered_map>

namespace chattermesh::crypto {

// One session_cipher per peer device, created on first use. libsignal's ciphers and builders keep
// a *pointer* to the signal_protocol_address and its name: both live in the entry, which is heap
// allocated and never moves, for as long as the cipher does.
class SessionCipherCache {
public:
    SessionCipherCache(signal_protocol_store_context *store, signal_context *global)
        : m_store(store), m_global(global)
    { }
    SessionCipherCache(const SessionCipherCache &) = delete;
    SessionCipherCache &operator=(const SessionCipherCache &) = delete;

    // Stable for as long as the entry exists (until forget()).
    const signal_protocol_address *address(const Address &peer);
    // nullptr with *rc set when libsignal cannot create it.
    session_cipher *cipher(const Address &peer, int *rc);
    void forget(const Address &peer) { m_entries.erase(peer); }

private:
    struct Entry {
        QByteArray name; // UTF-8 and NUL-terminated: libsignal logs it with %s
        signal_protocol_address address {};
        CPtr<session_cipher, session_cipher_free> cipher;
    };
    Entry &entry(const Address &peer);

    signal_protocol_store_context *m_store;
    signal_context *m_global;
    struct Hash {
        size_t operator()(const Address &a) const noexcept { return qHash(a); }
    };
    std::unordered_map<Address, std::unique_ptr<Entry>, Hash> m_entries;
};

} // namespace chattermesh::crypto

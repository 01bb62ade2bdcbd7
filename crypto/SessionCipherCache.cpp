// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionCipherCache.h"

namespace chattermesh::crypto {

SessionCipherCache::Entry &SessionCipherCache::entry(const Address &peer)
{
    std::unique_ptr<Entry> &slot = m_entries[peer];
    if (!slot) {
        slot = std::make_unique<Entry>();
        slot->name = peer.name.toUtf8();
        slot->address.name = slot->name.constData();
        slot->address.name_len = size_t(slot->name.size());
        slot->address.device_id = peer.deviceId;
    }
    return *slot;
}

const signal_protocol_address *SessionCipherCache::address(const Address &peer)
{
    return &entry(peer).address;
}

session_cipher *SessionCipherCache::cipher(const Address &peer, int *rc)
{
    Entry &e = entry(peer);
    *rc = 0;
    if (!e.cipher)
        *rc = session_cipher_create(e.cipher.out(), m_store, &e.address, m_global);
    return e.cipher.get();
}

} // namespace chattermesh::crypto

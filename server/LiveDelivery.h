// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreTypes.h"

#include <functional>

namespace chattermesh::server {

class ClientConnection;
class ConnectionRegistry;
class Store;

// Pushes committed mailbox entries to live connections as Deliver frames, in inbox_seq order,
// each once per connection and none skipped. An entry that does not follow the last one sent
// (a gap) is not pushed directly: the missing range is read back from the store, which, being
// serial, already holds everything committed before the read was queued.
class LiveDelivery {
public:
    using EntryBuilder = std::function<proto::MailboxEntry(quint64 inboxSeq)>;

    LiveDelivery(Store &store, ConnectionRegistry &registry, PageBound batch);

    // A SyncBatch with more=false went out: the connection is live from lastInboxSeq on.
    void synced(ClientConnection &connection, quint64 lastInboxSeq);
    // A commit created the entry inboxSeq for deviceId; build() is only called if it is pushed.
    // True if it was pushed now (false: the device is offline or not live, or a gap read will
    // bring it).
    bool offer(quint64 deviceId, quint64 inboxSeq, const EntryBuilder &build);
    void offer(const MailboxPush &push);

private:
    void push(ClientConnection &connection, const proto::MailboxEntry &entry);
    void fetchGap(ClientConnection &connection);

    Store &m_store;
    ConnectionRegistry &m_registry;
    PageBound m_batch;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"

namespace chattermesh::server {

class ClientConnection;
class ConnectionRegistry;
class FrameDispatcher;
class Store;

// Presence: a user is online while it holds at least one authenticated connection. On the first
// and on the last one it tells the users allowed to know (the store decides who, by the user's
// setting) and, on the last, persists last seen. Answers GetPresence.
class PushFanout;

class PresenceTracker {
public:
    static constexpr int kMaxNames = 1024;

    PresenceTracker(Store &store, ConnectionRegistry &registry, PushFanout &fanout)
        : m_store(store), m_registry(registry), m_fanout(fanout)
    { }

    void registerRoutes(FrameDispatcher &dispatcher);

    // The connection just authenticated (and is bound to its device in the registry).
    void authenticated(ClientConnection &connection);
    // The connection is gone (closed, dropped or cut by the heartbeat check); call before the
    // registry forgets it. Connections that never authenticated are ignored.
    void closed(ClientConnection &connection);

private:
    void announce(quint64 userId, bool online);
    void onGetPresence(ClientConnection &connection, const proto::Frame &frame);

    Store &m_store;
    ConnectionRegistry &m_registry;
    PushFanout &m_fanout;
};

} // namespace chattermesh::server

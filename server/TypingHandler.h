// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"
#include "ServerContext.h"
#include "TokenBucket.h"
#include "TypistSlots.h"

#include <QElapsedTimer>
#include <QHash>
#include <utility>

namespace chattermesh::server {

class ClientConnection;
class FrameDispatcher;

// Typing: ephemeral, never stored. Forwarded at once to the authenticated connections of the other
// members, rate-limited per (user, conversation) with a token bucket on a monotonic clock, and for
// at most --typing-max-typists typists per conversation at once (TypistSlots says why).
class TypingHandler {
public:
    explicit TypingHandler(ServerContext context);

    void registerRoutes(FrameDispatcher &dispatcher);

private:
    void onTyping(ClientConnection &connection, const proto::Frame &frame);
    bool allow(quint64 user, quint64 conversationId);

    ServerContext m_context;
    QElapsedTimer m_clock;
    QHash<std::pair<quint64, quint64>, TokenBucket> m_buckets;
    TypistSlots m_slots;
};

} // namespace chattermesh::server

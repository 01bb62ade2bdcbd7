// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"
#include "SendRateLimiter.h"
#include "ServerContext.h"
#include "StoreTypes.h"

#include <QElapsedTimer>
#include <optional>

namespace chattermesh::server {

class ClientConnection;
class FrameDispatcher;

// Send, Sync and DeliveryAck: the message path from a sender's Ack to the recipients' mailboxes.
class MessageHandler {
public:
    explicit MessageHandler(ServerContext context);

    void registerRoutes(FrameDispatcher &dispatcher);

private:
    void onSend(ClientConnection &connection, const proto::Frame &frame);
    void onSync(ClientConnection &connection, const proto::Frame &frame);
    void onDeliveryAck(ClientConnection &connection, const proto::Frame &frame);
    // Copies the sender-key fields into request; the reason when they are inconsistent.
    static std::optional<QString> senderKeyFields(const proto::Send &send, SendRequest &request);

    ServerContext m_context;
    SendRateLimiter m_sendRate;
    QElapsedTimer m_clock; // monotonic, for m_sendRate
};

} // namespace chattermesh::server

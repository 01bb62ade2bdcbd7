// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"
#include "ServerContext.h"

namespace chattermesh::server {

class ClientConnection;
class FrameDispatcher;

// MarkRead (read markers and READ receipts) and the per-user Settings that govern receipts and
// presence: GetSettings and UpdateSettings, the latter pushed to the user's other online devices.
class ReadHandler {
public:
    explicit ReadHandler(ServerContext context);

    void registerRoutes(FrameDispatcher &dispatcher);

private:
    void onMarkRead(ClientConnection &connection, const proto::Frame &frame);
    void onGetSettings(ClientConnection &connection, const proto::Frame &frame);
    void onUpdateSettings(ClientConnection &connection, const proto::Frame &frame);

    ServerContext m_context;
};

} // namespace chattermesh::server

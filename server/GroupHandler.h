// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"
#include "ServerContext.h"
#include "StoreTypes.h"

namespace chattermesh::server {

class ClientConnection;
class FrameDispatcher;

// CreateGroup, GroupChange and GetGroup. Checks the fields, lets the store apply the change and its
// permission rules, answers the Ack and pushes the resulting system event like a message.
class GroupHandler {
public:
    static constexpr int kTitleMax = 128;

    explicit GroupHandler(ServerContext context);

    void registerRoutes(FrameDispatcher &dispatcher);

private:
    void onCreateGroup(ClientConnection &connection, const proto::Frame &frame);
    void onGroupChange(ClientConnection &connection, const proto::Frame &frame);
    void onGetGroup(ClientConnection &connection, const proto::Frame &frame);
    void submit(ClientConnection &connection, quint64 requestId, GroupRequest request);

    static bool validTitle(const QString &title); // 1-128 characters, no control characters

    ServerContext m_context;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"
#include "ServerContext.h"

namespace chattermesh::server {

class ClientConnection;
class FrameDispatcher;

// ListDevices and RemoveDevice.
class DeviceHandler {
public:
    explicit DeviceHandler(ServerContext context);

    void registerRoutes(FrameDispatcher &dispatcher);

private:
    void onListDevices(ClientConnection &connection, const proto::Frame &frame);
    void onRemoveDevice(ClientConnection &connection, const proto::Frame &frame);

    ServerContext m_context;
};

} // namespace chattermesh::server

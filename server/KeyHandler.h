// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"
#include "ServerContext.h"

namespace chattermesh::server {

class ClientConnection;
class FrameDispatcher;

// UploadKeys and FetchBundles: the directory of end-to-end prekey bundles. Tells a device when its
// stock of one-time prekeys runs low so it tops it up.
class KeyHandler {
public:
    explicit KeyHandler(ServerContext context);

    void registerRoutes(FrameDispatcher &dispatcher);

private:
    void onUploadKeys(ClientConnection &connection, const proto::Frame &frame);
    void onFetchBundles(ClientConnection &connection, const proto::Frame &frame);

    ServerContext m_context;
};

} // namespace chattermesh::server

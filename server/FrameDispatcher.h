// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"

#include <QHash>
#include <functional>

namespace chattermesh::server {

class ClientConnection;

// The table from frame body to handler, with the session rule each one needs. Checks the rule,
// answers the typed error when it is not met, otherwise calls the handler.
class FrameDispatcher {
public:
    enum class Access {
        Anytime, // Ping, Hello (which checks its own order)
        Unauthenticated, // after Hello, before a session: Register, Login, Resume
        Authenticated, // everything that acts for a device
    };
    using Handler = std::function<void(ClientConnection &, const proto::Frame &)>;

    void add(proto::Frame::BodyCase body, Access access, Handler handler);
    void setDraining(bool draining) { m_draining = draining; }
    void dispatch(ClientConnection &connection, const proto::Frame &frame) const;

private:
    struct Route {
        Access access;
        Handler handler;
    };
    QHash<int, Route> m_routes;
    bool m_draining = false;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "FrameDispatcher.h"

#include "ClientConnection.h"
#include "ServerLog.h"

using namespace Qt::StringLiterals;

namespace chattermesh::server {

void FrameDispatcher::add(proto::Frame::BodyCase body, Access access, Handler handler)
{
    m_routes.insert(int(body), Route { access, std::move(handler) });
}

void FrameDispatcher::dispatch(ClientConnection &connection, const proto::Frame &frame) const
{
    using Phase = ClientConnection::Phase;
    const quint64 requestId = frame.request_id();
    qCDebug(lcServer).nospace() << "conn " << connection.id() << " -> " << proto::bodyName(frame) << " #"
                                << requestId;
    const auto route = m_routes.constFind(int(frame.body_case()));
    if (route == m_routes.cend()) {
        // Server-to-client bodies (Welcome, Ack, ...) parse fine but are not requests.
        connection.sendError(requestId, proto::UNKNOWN_FRAME, u"the server does not accept this frame"_s);
        return;
    }
    if (m_draining && frame.body_case() != proto::Frame::kPing) {
        connection.sendError(requestId, proto::SERVER_SHUTTING_DOWN, u"server shutting down"_s);
        return;
    }
    switch (route->access) {
    case Access::Anytime:
        break;
    case Access::Unauthenticated:
        if (connection.phase() == Phase::AwaitHello)
            return connection.sendError(requestId, proto::HELLO_REQUIRED, u"send Hello first"_s);
        // A copy of the auth request this connection already took is dropped, unanswered: its first
        // copy has (or will get) the one answer for that request_id, on this same connection. The
        // checks below would answer the copy with an error the client could read before the first
        // copy's Session, and running it again could add a device or spend a guess.
        if (connection.repeatsAuthRequest(frame)) {
            qCDebug(lcServer).nospace() << "conn " << connection.id() << " repeated "
                                        << proto::bodyName(frame) << " #" << requestId << " dropped";
            return;
        }
        if (connection.phase() == Phase::Authenticated)
            return connection.sendError(requestId, proto::ALREADY_AUTHENTICATED, u"already authenticated"_s);
        if (connection.authInFlight())
            return connection.sendError(
                requestId, proto::INVALID_ARGUMENT, u"authentication already in progress"_s);
        connection.noteAuthRequest(frame);
        break;
    case Access::Authenticated:
        if (connection.phase() == Phase::AwaitHello)
            return connection.sendError(requestId, proto::HELLO_REQUIRED, u"send Hello first"_s);
        if (connection.phase() != Phase::Authenticated)
            return connection.sendError(
                requestId, proto::NOT_AUTHENTICATED, u"register, log in or resume first"_s);
        break;
    }
    route->handler(connection, frame);
}

} // namespace chattermesh::server

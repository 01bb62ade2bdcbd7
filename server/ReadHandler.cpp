// SPDX-License-Identifier: GPL-3.0-or-later
#include "ReadHandler.h"

#include "ClientConnection.h"
#include "ConnectionRegistry.h"
#include "FrameDispatcher.h"
#include "LiveDelivery.h"
#include "Store.h"

#include <QDateTime>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

ReadHandler::ReadHandler(ServerContext context) : m_context(context) { }

void ReadHandler::registerRoutes(FrameDispatcher &dispatcher)
{
    using Access = FrameDispatcher::Access;
    dispatcher.add(proto::Frame::kMarkRead, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onMarkRead(c, f); });
    dispatcher.add(proto::Frame::kGetSettings, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onGetSettings(c, f); });
    dispatcher.add(proto::Frame::kUpdateSettings, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onUpdateSettings(c, f); });
}

void ReadHandler::onMarkRead(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    MarkReadRequest request;
    request.userId = connection.userId();
    request.deviceId = connection.deviceId();
    request.conversationId = frame.mark_read().conversation_id();
    request.upToSeq
        = std::min<quint64>(frame.mark_read().up_to_seq(), quint64(std::numeric_limits<qint64>::max()));
    request.nowMs = QDateTime::currentMSecsSinceEpoch();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit([request](StoreBackend &backend) { return backend.markRead(request); },
        [this, guard, requestId, conversationId = request.conversationId](
            StoreResult<MarkReadOutcome> outcome) {
            if (!outcome.ok()) {
                if (guard)
                    guard->sendError(requestId, outcome.error().code, outcome.error().message);
                return;
            }
            if (guard) {
                proto::Frame answer;
                answer.set_request_id(requestId);
                answer.mutable_read_marker()->set_conversation_id(conversationId);
                answer.mutable_read_marker()->set_up_to_seq(outcome.value().marker);
                guard->send(answer);
            }
            for (const MailboxPush &push : outcome.value().pushes)
                m_context.delivery.offer(push);
        });
}

void ReadHandler::onGetSettings(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 user = connection.userId();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit([user](StoreBackend &backend) { return backend.settings(user); },
        [guard, requestId](StoreResult<proto::Settings> settings) {
            if (!guard)
                return;
            if (!settings.ok())
                return guard->sendError(requestId, settings.error().code, settings.error().message);
            proto::Frame answer;
            answer.set_request_id(requestId);
            *answer.mutable_settings() = settings.value();
            guard->send(answer);
        });
}

void ReadHandler::onUpdateSettings(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const proto::Settings wanted = frame.update_settings().settings();
    if (!proto::Visibility_IsValid(wanted.presence_visibility()))
        return connection.sendError(requestId, proto::INVALID_ARGUMENT, u"unknown presence visibility"_s);
    const quint64 user = connection.userId();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [user, wanted](StoreBackend &backend) { return backend.updateSettings(user, wanted); },
        [this, guard, requestId, user](StoreResult<proto::Settings> settings) {
            if (!settings.ok()) {
                if (guard)
                    guard->sendError(requestId, settings.error().code, settings.error().message);
                return;
            }
            proto::Frame answer;
            *answer.mutable_settings() = settings.value();
            // Pushed (request_id 0) to the user's other online devices.
            for (ClientConnection *other : m_context.registry.forUser(user)) {
                if (other != guard)
                    other->send(answer);
            }
            if (guard) {
                answer.set_request_id(requestId);
                guard->send(answer);
            }
        });
}

} // namespace chattermesh::server

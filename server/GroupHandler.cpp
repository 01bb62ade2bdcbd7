// SPDX-License-Identifier: GPL-3.0-or-later
#include "GroupHandler.h"

#include "ClientConnection.h"
#include "ConversationMembers.h"
#include "FrameDispatcher.h"
#include "LiveDelivery.h"
#include "ServerConfig.h"
#include "Store.h"

#include <QDateTime>
#include <QPointer>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

GroupHandler::GroupHandler(ServerContext context) : m_context(context) { }

void GroupHandler::registerRoutes(FrameDispatcher &dispatcher)
{
    using Access = FrameDispatcher::Access;
    dispatcher.add(proto::Frame::kCreateGroup, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onCreateGroup(c, f); });
    dispatcher.add(proto::Frame::kGroupChange, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onGroupChange(c, f); });
    dispatcher.add(proto::Frame::kGetGroup, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onGetGroup(c, f); });
}

bool GroupHandler::validTitle(const QString &title)
{
    const QList<uint> codePoints = title.toUcs4();
    if (codePoints.isEmpty() || codePoints.size() > kTitleMax)
        return false;
    return std::none_of(codePoints.begin(), codePoints.end(), [](uint c) { return c < 0x20 || c == 0x7f; });
}

void GroupHandler::onCreateGroup(ClientConnection &connection, const proto::Frame &frame)
{
    const proto::CreateGroup &create = frame.create_group();
    GroupRequest request;
    request.op = proto::CREATED;
    request.title = QString::fromStdString(create.title());
    if (!validTitle(request.title))
        return connection.sendError(
            frame.request_id(), proto::INVALID_ARGUMENT, u"title must be 1-128 characters"_s);
    if (create.members_size() >= m_context.config.maxGroupMembers)
        return connection.sendError(frame.request_id(), proto::GROUP_FULL,
            u"a group has at most %1 members"_s.arg(m_context.config.maxGroupMembers));
    for (const std::string &name : create.members())
        request.usernames.append(QString::fromStdString(name));
    request.onlyAdminsSend = create.only_admins_send();
    submit(connection, frame.request_id(), std::move(request));
}

void GroupHandler::onGroupChange(ClientConnection &connection, const proto::Frame &frame)
{
    const proto::GroupChange &change = frame.group_change();
    const quint64 requestId = frame.request_id();
    GroupRequest request;
    request.op = change.op();
    request.conversationId = change.conversation_id();
    switch (change.op()) {
    case proto::RENAMED:
        request.title = QString::fromStdString(change.title());
        if (!validTitle(request.title))
            return connection.sendError(
                requestId, proto::INVALID_ARGUMENT, u"title must be 1-128 characters"_s);
        break;
    case proto::SEND_POLICY:
        request.onlyAdminsSend = change.only_admins_send();
        break;
    case proto::LEFT:
        break;
    case proto::ADDED:
    case proto::REMOVED:
    case proto::PROMOTED:
    case proto::DEMOTED:
        if (change.usernames_size() > m_context.config.maxGroupMembers)
            return connection.sendError(requestId,
                change.op() == proto::ADDED ? proto::GROUP_FULL : proto::INVALID_ARGUMENT,
                u"too many usernames"_s);
        for (const std::string &name : change.usernames())
            request.usernames.append(QString::fromStdString(name));
        break;
    default:
        return connection.sendError(requestId, proto::INVALID_ARGUMENT, u"unknown group operation"_s);
    }
    submit(connection, requestId, std::move(request));
}

void GroupHandler::submit(ClientConnection &connection, quint64 requestId, GroupRequest request)
{
    request.actorUser = connection.userId();
    request.actorDevice = connection.deviceId();
    request.maxMembers = m_context.config.maxGroupMembers;
    request.nowMs = QDateTime::currentMSecsSinceEpoch();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [request = std::move(request)](StoreBackend &backend) { return backend.changeGroup(request); },
        [this, guard, requestId](StoreResult<GroupOutcome> outcome) {
            if (!outcome.ok()) {
                if (guard)
                    guard->sendError(requestId, outcome.error().code, outcome.error().message);
                return;
            }
            const GroupOutcome &done = outcome.value();
            m_context.members.update(done.ack.conversation_id(), done.membersAfter);
            if (guard) {
                proto::Frame answer;
                answer.set_request_id(requestId);
                *answer.mutable_ack() = done.ack;
                guard->send(answer);
            }
            for (const Recipient &recipient : done.recipients) {
                m_context.delivery.offer(recipient.deviceId, recipient.inboxSeq, [&done](quint64 inboxSeq) {
                    proto::MailboxEntry entry;
                    entry.set_inbox_seq(inboxSeq);
                    *entry.mutable_message() = done.message;
                    return entry;
                });
            }
        });
}

void GroupHandler::onGetGroup(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 user = connection.userId();
    const quint64 conversationId = frame.get_group().conversation_id();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [user, conversationId](StoreBackend &backend) { return backend.groupInfo(user, conversationId); },
        [guard, requestId](StoreResult<proto::GroupInfo> info) {
            if (!guard)
                return;
            if (!info.ok())
                return guard->sendError(requestId, info.error().code, info.error().message);
            proto::Frame answer;
            answer.set_request_id(requestId);
            *answer.mutable_group_info() = std::move(info.value());
            guard->send(answer);
        });
}

} // namespace chattermesh::server

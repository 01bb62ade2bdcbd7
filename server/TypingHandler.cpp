// SPDX-License-Identifier: GPL-3.0-or-later
#include "TypingHandler.h"

#include "ClientConnection.h"
#include "ConnectionRegistry.h"
#include "ConversationMembers.h"
#include "FrameDispatcher.h"
#include "PushFanout.h"
#include "ServerConfig.h"
#include "ServerLog.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

// Above this many buckets, full ones (idle long enough to have refilled) are forgotten.
constexpr qsizetype kPruneAbove = 100000;

} // namespace

TypingHandler::TypingHandler(ServerContext context)
    : m_context(context), m_slots(context.config.typingMaxTypists)
{
    m_clock.start();
}

void TypingHandler::registerRoutes(FrameDispatcher &dispatcher)
{
    dispatcher.add(proto::Frame::kTyping, FrameDispatcher::Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onTyping(c, f); });
}

bool TypingHandler::allow(quint64 user, quint64 conversationId)
{
    const qint64 now = m_clock.elapsed();
    if (m_buckets.size() > kPruneAbove)
        m_buckets.removeIf([now](const auto &entry) { return entry.value().isFull(now); });
    auto bucket = m_buckets.find({ user, conversationId });
    if (bucket == m_buckets.end())
        bucket = m_buckets.insert({ user, conversationId },
            TokenBucket(m_context.config.typingBurst, m_context.config.typingRate, now));
    return bucket->take(now);
}

void TypingHandler::onTyping(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 user = connection.userId();
    const quint64 conversationId = frame.typing().conversation_id();
    if (!allow(user, conversationId))
        return connection.sendError(requestId, proto::RATE_LIMITED, u"too many typing notifications"_s);
    proto::Frame push;
    push.mutable_typing()->set_conversation_id(conversationId);
    push.mutable_typing()->set_typing(frame.typing().typing());
    push.mutable_typing()->set_username(connection.username().toStdString());
    QPointer<ClientConnection> guard(&connection);
    m_context.members.withMembers(
        conversationId, [this, guard, requestId, user, push](const ConversationMembers::Members &members) {
            if (!members.contains(user)) {
                if (guard)
                    guard->sendError(requestId, proto::CONVERSATION_NOT_FOUND, u"no such conversation"_s);
                return;
            }
            // Slots are decided here, after the membership check, so outsiders never hold one.
            const bool typing = push.typing().typing();
            const bool forward = typing
                ? m_slots.start(push.typing().conversation_id(), user, m_clock.elapsed())
                : m_slots.stop(push.typing().conversation_id(), user);
            if (!forward) {
                qCDebug(lcServer) << "typing not forwarded (no typist slot); dropped so far"
                                  << m_slots.dropped();
                return;
            }
            std::vector<quint64> others;
            others.reserve(size_t(members.size()));
            for (quint64 member : members) {
                if (member != user)
                    others.push_back(member); // never to the typist's own devices
            }
            m_context.fanout.push(push, std::move(others));
        });
}

} // namespace chattermesh::server

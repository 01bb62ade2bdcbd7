// SPDX-License-Identifier: GPL-3.0-or-later
#include "PresenceTracker.h"

#include "ClientConnection.h"
#include "ConnectionRegistry.h"
#include "FrameDispatcher.h"
#include "PushFanout.h"
#include "ServerLog.h"
#include "Store.h"

#include <QDateTime>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

void PresenceTracker::registerRoutes(FrameDispatcher &dispatcher)
{
    dispatcher.add(proto::Frame::kGetPresence, FrameDispatcher::Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onGetPresence(c, f); });
}

void PresenceTracker::authenticated(ClientConnection &connection)
{
    if (m_registry.addUser(&connection) == 1)
        announce(connection.userId(), true);
}

void PresenceTracker::closed(ClientConnection &connection)
{
    if (connection.phase() != ClientConnection::Phase::Authenticated)
        return;
    if (m_registry.removeUser(&connection) == 0)
        announce(connection.userId(), false);
}

void PresenceTracker::announce(quint64 userId, bool online)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_store.submit(
        [userId, online, now](StoreBackend &backend) { return backend.presenceChanged(userId, online, now); },
        [this, userId, online](StoreResult<PresenceAudience> audience) {
            if (!audience.ok()) {
                qCWarning(lcServer) << "presence of user" << userId << "not announced";
                return;
            }
            proto::Frame push;
            proto::Presence *presence = push.mutable_presence();
            presence->set_username(audience.value().username.toStdString());
            presence->set_online(online);
            if (!online)
                presence->set_last_seen_ms(audience.value().lastSeenMs);
            m_fanout.push(push, audience.value().viewers);
        });
}

void PresenceTracker::onGetPresence(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const auto &names = frame.get_presence().usernames();
    if (names.size() > kMaxNames)
        return connection.sendError(
            requestId, proto::INVALID_ARGUMENT, u"at most %1 usernames per GetPresence"_s.arg(kMaxNames));
    QStringList usernames;
    for (const std::string &name : names)
        usernames.append(QString::fromStdString(name));
    const quint64 asker = connection.userId();
    QPointer<ClientConnection> guard(&connection);
    m_store.submit([asker, usernames](StoreBackend &backend) { return backend.presenceOf(asker, usernames); },
        [this, guard, requestId](StoreResult<std::vector<PresenceEntry>> entries) {
            if (!guard)
                return;
            if (!entries.ok())
                return guard->sendError(requestId, entries.error().code, entries.error().message);
            proto::Frame answer;
            answer.set_request_id(requestId);
            proto::PresenceList *list = answer.mutable_presence_list();
            for (const PresenceEntry &entry : entries.value()) {
                proto::Presence *presence = list->add_presence();
                presence->set_username(entry.username.toStdString());
                if (!entry.visible) {
                    presence->set_hidden(true);
                    continue;
                }
                const bool online = m_registry.isOnline(entry.userId);
                presence->set_online(online);
                if (!online)
                    presence->set_last_seen_ms(entry.lastSeenMs);
            }
            guard->send(answer);
        });
}

} // namespace chattermesh::server

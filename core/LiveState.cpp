// SPDX-License-Identifier: GPL-3.0-or-later
#include "LiveState.h"

#include "Connection.h"

namespace chattermesh::core {

LiveState::LiveState(sync::Connection *connection, const sync::Clock *clock, QObject *parent)
    : QObject(parent),
      m_connection(connection),
      m_clock(clock ? clock : sync::SystemClock::instance()),
      m_sender(m_clock,
          [this](quint64 conversation, bool typing) {
              if (!m_online)
                  return; // typing is only true now: never queued for later
              proto::Frame f;
              f.mutable_typing()->set_conversation_id(conversation);
              f.mutable_typing()->set_typing(typing);
              m_connection->send(std::move(f));
          }),
      m_roster(m_clock)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &LiveState::tick);
}

void LiveState::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    if (online)
        return;
    // Disconnected: whatever we knew about others may be stale by the time we are back.
    for (const QString &user : m_presence.clear())
        Q_EMIT presenceChanged(user);
    const auto conversations = m_roster.conversations();
    for (quint64 conversation : conversations) {
        if (m_roster.forget(conversation))
            Q_EMIT typingChanged(conversation, {});
    }
}

void LiveState::composerChanged(quint64 conversation, const QString &text)
{
    if (!m_online)
        return; // nobody would hear it; the first keystroke once back online starts typing
    m_sender.edited(conversation, text.trimmed().isEmpty());
    arm();
}

void LiveState::messageSent(quint64 conversation)
{
    m_sender.sent(conversation);
    arm();
}

void LiveState::messageArrived(quint64 conversation, const QString &sender)
{
    if (m_roster.messageFrom(conversation, sender))
        Q_EMIT typingChanged(conversation, m_roster.typists(conversation));
    arm();
}

void LiveState::requestPresence(const QStringList &users)
{
    if (users.isEmpty())
        return;
    proto::Frame f;
    for (const QString &u : users)
        f.mutable_get_presence()->add_usernames(u.toStdString());
    m_connection->sendRequest(std::move(f));
}

void LiveState::requestSettings()
{
    proto::Frame f;
    f.mutable_get_settings();
    m_connection->sendRequest(std::move(f));
}

void LiveState::updateSettings(const proto::Settings &settings)
{
    proto::Frame f;
    *f.mutable_update_settings()->mutable_settings() = settings;
    m_connection->sendRequest(std::move(f));
}

bool LiveState::handle(const proto::Frame &frame)
{
    switch (frame.body_case()) {
    case proto::Frame::kTyping: {
        const auto &t = frame.typing();
        if (m_roster.received(t.conversation_id(), QString::fromStdString(t.username()), t.typing()))
            Q_EMIT typingChanged(t.conversation_id(), m_roster.typists(t.conversation_id()));
        arm();
        return true;
    }
    case proto::Frame::kPresence:
        applyPresence(frame.presence());
        return true;
    case proto::Frame::kPresenceList:
        for (const auto &p : frame.presence_list().presence())
            applyPresence(p);
        return true;
    case proto::Frame::kSettings:
        m_settings = frame.settings();
        m_hasSettings = true;
        Q_EMIT settingsChanged();
        return true;
    default:
        return false;
    }
}

void LiveState::applyPresence(const proto::Presence &p)
{
    const QString user = QString::fromStdString(p.username());
    if (m_presence.apply(user, p.online(), p.last_seen_ms(), p.hidden()))
        Q_EMIT presenceChanged(user);
}

void LiveState::tick()
{
    m_sender.expire();
    const auto changed = m_roster.expire();
    for (quint64 conversation : changed)
        Q_EMIT typingChanged(conversation, m_roster.typists(conversation));
    arm();
}

void LiveState::arm()
{
    qint64 next = m_sender.nextDeadlineMs();
    const qint64 roster = m_roster.nextDeadlineMs();
    if (roster > 0 && (next == 0 || roster < next))
        next = roster;
    if (next == 0) {
        m_deadline.stop();
        return;
    }
    m_deadline.start(int(std::clamp<qint64>(next - m_clock->nowMs(), 0, 60'000)));
}

} // namespace chattermesh::core

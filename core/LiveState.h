// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"
#include "PresenceBook.h"
#include "TypingRoster.h"
#include "TypingSender.h"
#include "chattermesh.pb.h"

#include <QObject>
#include <QTimer>

namespace chattermesh::sync {
class Connection;
}

namespace chattermesh::core {

// What moves between messages: my typing (sent), others' typing (received, expiring), others'
// presence, and my privacy settings. Nothing here is stored: typing and presence are only true
// while connected, and the server is the source of truth for settings. Lives on the engine's
// thread; one QTimer follows the nearest typing deadline, so no state machine polls.
class LiveState : public QObject {
    Q_OBJECT
public:
    LiveState(sync::Connection *connection, const sync::Clock *clock, QObject *parent = nullptr);

    // Signed in and caught up (typing goes out only then) or not.
    void setOnline(bool online);

    void composerChanged(quint64 conversation, const QString &text);
    void messageSent(quint64 conversation);
    void messageArrived(quint64 conversation, const QString &sender);
    QStringList typists(quint64 conversation) const { return m_roster.typists(conversation); }

    PresenceState presence(const QString &user) const { return m_presence.state(user); }
    void requestPresence(const QStringList &users);

    void requestSettings();
    void updateSettings(const proto::Settings &settings);
    const proto::Settings &settings() const { return m_settings; }
    bool hasSettings() const { return m_hasSettings; }

    // Typing, Presence, PresenceList and Settings frames; false for anything else.
    bool handle(const proto::Frame &frame);
    // Runs every deadline that has passed by the clock (the timer calls it; tests that move a
    // manual clock call it themselves).
    void tick();

Q_SIGNALS:
    void typingChanged(quint64 conversation, const QStringList &typists);
    void presenceChanged(const QString &user);
    void settingsChanged();

private:
    void arm();
    void applyPresence(const proto::Presence &p);

    sync::Connection *m_connection;
    const sync::Clock *m_clock;
    bool m_online = false;
    TypingSender m_sender;
    TypingRoster m_roster;
    PresenceBook m_presence;
    proto::Settings m_settings;
    bool m_hasSettings = false;
    QTimer m_deadline { this };
};

} // namespace chattermesh::core

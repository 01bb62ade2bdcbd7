// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace chattermesh::core {

// What we last heard about one user's presence. `hidden`: their privacy setting keeps it from us,
// so online and lastSeenMs carry nothing.
struct PresenceState {
    bool known = false;
    bool online = false;
    qint64 lastSeenMs = 0;
    bool hidden = false;

    friend bool operator==(const PresenceState &, const PresenceState &) = default;
};

// The last known presence of each user we share a conversation with, as pushed by the server.
class PresenceBook {
public:
    // Returns whether the user's state changed.
    bool apply(const QString &user, bool online, qint64 lastSeenMs, bool hidden);
    PresenceState state(const QString &user) const;
    // On disconnect: nobody's presence can be trusted until the server tells us again. Returns the
    // users that were known (sorted), whose display must change.
    QStringList clear();

    // The line under a user's name; empty when there is nothing we may show.
    static QString describe(const PresenceState &state, qint64 nowMs);

private:
    QHash<QString, PresenceState> m_states;
};

} // namespace chattermesh::core

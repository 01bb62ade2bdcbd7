// SPDX-License-Identifier: GPL-3.0-or-later
#include "PresenceBook.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace chattermesh::core {

namespace {
constexpr qint64 MinuteMs = 60'000;
constexpr qint64 HourMs = 60 * MinuteMs;
} // namespace

bool PresenceBook::apply(const QString &user, bool online, qint64 lastSeenMs, bool hidden)
{
    PresenceState next { true, online, lastSeenMs, hidden };
    if (hidden) {
        // Keep nothing the user chose not to share, and let stray values not count as a change.
        next.online = false;
        next.lastSeenMs = 0;
    }
    PresenceState &current = m_states[user];
    if (current == next)
        return false;
    current = next;
    return true;
}

PresenceState PresenceBook::state(const QString &user) const
{
    return m_states.value(user);
}

QStringList PresenceBook::clear()
{
    QStringList users = m_states.keys();
    std::sort(users.begin(), users.end());
    m_states.clear();
    return users;
}

QString PresenceBook::describe(const PresenceState &state, qint64 nowMs)
{
    if (!state.known || state.hidden)
        return {};
    if (state.online)
        return QCoreApplication::translate("PresenceBook", "online");
    if (state.lastSeenMs <= 0)
        return {};

    // A last seen slightly ahead of our clock is skew between us and the server, not the future.
    const qint64 ago = nowMs - state.lastSeenMs;
    if (ago < MinuteMs)
        return QCoreApplication::translate("PresenceBook", "last seen just now");
    if (ago < HourMs) {
        const int minutes = int(ago / MinuteMs);
        // "a minute" is its own phrase in English; the rest goes through plural forms.
        if (minutes == 1)
            return QCoreApplication::translate("PresenceBook", "last seen a minute ago");
        return QCoreApplication::translate("PresenceBook", "last seen %n minutes ago", nullptr, minutes);
    }

    const QLocale locale;
    const QDateTime seen = QDateTime::fromMSecsSinceEpoch(state.lastSeenMs);
    const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs).date();
    const QString time = locale.toString(seen.time(), u"HH:mm"_s);
    if (seen.date() == today)
        return QCoreApplication::translate("PresenceBook", "last seen today at %1").arg(time);
    if (seen.date() == today.addDays(-1))
        return QCoreApplication::translate("PresenceBook", "last seen yesterday at %1").arg(time);
    const QString format = seen.date().year() == today.year() ? u"d MMM"_s : u"d MMM yyyy"_s;
    return QCoreApplication::translate("PresenceBook", "last seen %1")
        .arg(locale.toString(seen.date(), format));
}

} // namespace chattermesh::core

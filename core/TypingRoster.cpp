// SPDX-License-Identifier: GPL-3.0-or-later
#include "TypingRoster.h"

#include <QCoreApplication>
#include <algorithm>

namespace chattermesh::core {

TypingRoster::TypingRoster(const sync::Clock *clock) : m_clock(clock) { }

bool TypingRoster::received(quint64 conversation, const QString &user, bool typing)
{
    if (!typing)
        return remove(conversation, user);
    QList<Typist> &list = m_typists[conversation];
    const qint64 now = m_clock->nowMs();
    for (Typist &t : list) {
        if (t.user == user) {
            t.refreshedMs = now; // a refresh keeps them alive but shows nothing new
            return false;
        }
    }
    list.append({ user, now });
    return true;
}

bool TypingRoster::messageFrom(quint64 conversation, const QString &user)
{
    // Their message is what they were typing; waiting for the false or the expiry would show them
    // typing below their own message.
    return remove(conversation, user);
}

bool TypingRoster::remove(quint64 conversation, const QString &user)
{
    auto it = m_typists.find(conversation);
    if (it == m_typists.end())
        return false;
    const bool removed = it->removeIf([&](const Typist &t) { return t.user == user; }) > 0;
    if (it->isEmpty())
        m_typists.erase(it);
    return removed;
}

bool TypingRoster::forget(quint64 conversation)
{
    return m_typists.remove(conversation);
}

QList<quint64> TypingRoster::expire()
{
    const qint64 now = m_clock->nowMs();
    QList<quint64> changed;
    for (auto it = m_typists.begin(); it != m_typists.end();) {
        if (it->removeIf([&](const Typist &t) { return now - t.refreshedMs >= ExpiryMs; }) > 0)
            changed.append(it.key());
        if (it->isEmpty())
            it = m_typists.erase(it);
        else
            ++it;
    }
    std::sort(changed.begin(), changed.end());
    return changed;
}

qint64 TypingRoster::nextDeadlineMs() const
{
    qint64 next = 0;
    for (const QList<Typist> &list : m_typists) {
        for (const Typist &t : list) {
            const qint64 due = t.refreshedMs + ExpiryMs;
            if (next == 0 || due < next)
                next = due;
        }
    }
    return next;
}

QStringList TypingRoster::typists(quint64 conversation) const
{
    QStringList names;
    for (const Typist &t : m_typists.value(conversation))
        names.append(t.user);
    return names;
}

QString TypingRoster::summary(const QStringList &names)
{
    switch (names.size()) {
    case 0:
        return {};
    case 1:
        return QCoreApplication::translate("TypingRoster", "%1 is typing…").arg(names.at(0));
    case 2:
        return QCoreApplication::translate("TypingRoster", "%1 and %2 are typing…")
            .arg(names.at(0), names.at(1));
    default:
        // Past two, names would not fit in a conversation header; the count stays short.
        return QCoreApplication::translate(
            "TypingRoster", "%n people are typing…", nullptr, int(names.size()));
    }
}

} // namespace chattermesh::core

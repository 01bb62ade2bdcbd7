// SPDX-License-Identifier: GPL-3.0-or-later
#include "TypingSender.h"

#include <algorithm>
#include <utility>

namespace chattermesh::core {

TypingSender::TypingSender(const sync::Clock *clock, Send send) : m_clock(clock), m_send(std::move(send)) { }

bool TypingSender::rateLimited(const Composer &c, qint64 now) const
{
    return c.everSent && now - c.lastTrueMs < RefreshIntervalMs;
}

void TypingSender::announce(quint64 conversation, Composer &c, qint64 now)
{
    c.announced = true;
    c.deferred = false;
    c.everSent = true;
    c.lastTrueMs = now;
    m_send(conversation, true);
}

void TypingSender::stop(quint64 conversation, Composer &c)
{
    c.deferred = false;
    if (!c.announced)
        return;
    c.announced = false;
    m_send(conversation, false);
}

void TypingSender::edited(quint64 conversation, bool composerEmpty)
{
    const qint64 now = m_clock->nowMs();
    if (composerEmpty) {
        auto it = m_composers.find(conversation);
        if (it != m_composers.end())
            stop(conversation, *it);
        return;
    }
    Composer &c = m_composers[conversation];
    c.lastEditMs = now;
    if (rateLimited(c, now)) {
        // Already announced: the last true still holds. Just restarted: expire() sends it once the
        // interval since the previous true is over.
        if (!c.announced)
            c.deferred = true;
        return;
    }
    announce(conversation, c, now);
}

void TypingSender::sent(quint64 conversation)
{
    auto it = m_composers.find(conversation);
    if (it != m_composers.end())
        stop(conversation, *it);
}

void TypingSender::expire()
{
    const qint64 now = m_clock->nowMs();
    for (auto it = m_composers.begin(); it != m_composers.end(); ++it) {
        Composer &c = *it;
        const bool idle = now - c.lastEditMs >= IdleTimeoutMs;
        if (c.announced && idle)
            stop(it.key(), c);
        else if (c.deferred && idle)
            c.deferred = false;
        else if (c.deferred && !rateLimited(c, now))
            announce(it.key(), c, now);
    }
    prune(now);
}

void TypingSender::prune(qint64 now)
{
    // A quiet composer is only kept while its last true still rate-limits the next one.
    m_composers.removeIf([&](const auto &it) {
        const Composer &c = it.value();
        return !c.announced && !c.deferred && !rateLimited(c, now);
    });
}

qint64 TypingSender::nextDeadlineMs() const
{
    qint64 next = 0;
    for (const Composer &c : m_composers) {
        qint64 due = 0;
        if (c.announced)
            due = c.lastEditMs + IdleTimeoutMs;
        else if (c.deferred)
            due = std::min(c.lastTrueMs + RefreshIntervalMs, c.lastEditMs + IdleTimeoutMs);
        if (due != 0 && (next == 0 || due < next))
            next = due;
    }
    return next;
}

bool TypingSender::isTyping(quint64 conversation) const
{
    const auto it = m_composers.constFind(conversation);
    return it != m_composers.cend() && it->announced;
}

} // namespace chattermesh::core

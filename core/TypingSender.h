// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"

#include <QHash>
#include <functional>

namespace chattermesh::core {

// The typing indicator we announce for each composer. Driven by edits, sends and one deadline the
// owner arms a timer for; it never sleeps or owns a timer itself, so tests move time by hand.
// Invariants: a false is only sent after a true, and two trues are never sent within
// RefreshIntervalMs of each other — not even across a stop — so flicking the composer empty and
// back cannot flood the server's rate limit.
class TypingSender {
public:
    using Send = std::function<void(quint64 conversationId, bool typing)>;

    // Receivers drop a typist RefreshIntervalMs + 3 s after the last true (TypingRoster), so one
    // refresh per interval keeps a steady typist visible without a gap.
    static constexpr qint64 RefreshIntervalMs = 3'000;
    // A composer left alone this long is no longer "typing", even with text in it.
    static constexpr qint64 IdleTimeoutMs = 5'000;

    TypingSender(const sync::Clock *clock, Send send);

    void edited(quint64 conversation, bool composerEmpty);
    void sent(quint64 conversation);
    void expire();
    // Absolute time (ms since the epoch) at which expire() has work to do; 0 when none.
    qint64 nextDeadlineMs() const;

    bool isTyping(quint64 conversation) const;

private:
    struct Composer {
        bool announced = false; // the peers were told true and not yet false
        bool deferred = false; // text is there but a true went out less than an interval ago
        bool everSent = false;
        qint64 lastTrueMs = 0;
        qint64 lastEditMs = 0;
    };

    void announce(quint64 conversation, Composer &c, qint64 now);
    void stop(quint64 conversation, Composer &c);
    bool rateLimited(const Composer &c, qint64 now) const;
    void prune(qint64 now);

    const sync::Clock *m_clock;
    Send m_send;
    QHash<quint64, Composer> m_composers;
};

} // namespace chattermesh::core

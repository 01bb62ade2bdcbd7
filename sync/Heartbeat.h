// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"

namespace chattermesh::sync {

// Detects dead and half-open connections without sleeping: the owner calls tick() from a timer and
// acts on the answer. A ping goes out after `intervalMs` with nothing received; the connection is
// declared dead after `deadAfterMs` of silence.
class Heartbeat {
public:
    enum class Action { None, SendPing, Dead };

    Heartbeat(const Clock *clock, qint64 intervalMs, qint64 deadAfterMs);

    void reset(); // a new connection starts
    void frameReceived(); // any frame proves the peer is alive
    Action tick();
    void setInterval(qint64 intervalMs, qint64 deadAfterMs);
    qint64 intervalMs() const { return m_intervalMs; }

private:
    const Clock *m_clock;
    qint64 m_intervalMs;
    qint64 m_deadAfterMs;
    qint64 m_lastReceived = 0;
    qint64 m_lastPing = 0;
};

} // namespace chattermesh::sync

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Heartbeat.h"

namespace chattermesh::sync {

Heartbeat::Heartbeat(const Clock *clock, qint64 intervalMs, qint64 deadAfterMs)
    : m_clock(clock), m_intervalMs(intervalMs), m_deadAfterMs(deadAfterMs)
{
    reset();
}

void Heartbeat::reset()
{
    m_lastReceived = m_clock->nowMs();
    m_lastPing = m_lastReceived;
}

void Heartbeat::frameReceived()
{
    m_lastReceived = m_clock->nowMs();
}

void Heartbeat::setInterval(qint64 intervalMs, qint64 deadAfterMs)
{
    m_intervalMs = intervalMs;
    m_deadAfterMs = deadAfterMs;
}

Heartbeat::Action Heartbeat::tick()
{
    const qint64 now = m_clock->nowMs();
    if (now - m_lastReceived >= m_deadAfterMs)
        return Action::Dead;
    if (now - m_lastReceived >= m_intervalMs && now - m_lastPing >= m_intervalMs) {
        m_lastPing = now;
        return Action::SendPing;
    }
    return Action::None;
}

} // namespace chattermesh::sync

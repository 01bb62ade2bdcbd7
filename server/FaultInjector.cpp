// SPDX-License-Identifier: GPL-3.0-or-later
#include "FaultInjector.h"

namespace chattermesh::server {

FaultInjector::FaultInjector(FaultSpec spec, quint64 seed) : m_spec(spec), m_seed(seed), m_random(seed) { }

double FaultInjector::uniform()
{
    // 53 random bits scaled by hand: std::uniform_real_distribution may differ between libraries.
    return double(m_random() >> 11) * 0x1.0p-53;
}

FaultInjector::Decision FaultInjector::decide(Direction direction)
{
    Q_UNUSED(direction); // one stream for both directions: the interleaving is part of the replay
    const std::lock_guard lock(m_mutex);
    const double kind = uniform();
    const double delay = uniform();
    Decision d;
    // One draw picks at most one fault: the probabilities stack as consecutive intervals of [0, 1).
    double edge = m_spec.disconnect;
    if (kind < edge) {
        d.disconnect = true;
    } else if (kind < (edge += m_spec.drop)) {
        d.drop = true;
    } else if (kind < (edge += m_spec.duplicate)) {
        d.duplicate = true;
    } else if (kind < (edge += m_spec.reorder)) {
        d.reorder = true;
    }
    if (m_spec.delayMaxMs > 0 && !d.disconnect && !d.drop)
        d.delayMs = m_spec.delayMinMs + int(delay * (m_spec.delayMaxMs - m_spec.delayMinMs + 1));
    return d;
}

const char *FaultInjector::name(Kind kind)
{
    switch (kind) {
    case Kind::Drop:
        return "drop";
    case Kind::Duplicate:
        return "dup";
    case Kind::Delay:
        return "delay";
    case Kind::Reorder:
        return "reorder";
    case Kind::Disconnect:
        return "disconnect";
    }
    return "unknown";
}

const char *FaultInjector::name(Direction direction)
{
    return direction == Direction::Inbound ? "in" : "out";
}

} // namespace chattermesh::server

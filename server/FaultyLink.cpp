// SPDX-License-Identifier: GPL-3.0-or-later
#include "FaultyLink.h"

#include "ServerLog.h"
#include "ServerMetrics.h"

namespace chattermesh::server {

using Kind = FaultInjector::Kind;

FaultyLink::FaultyLink(
    FaultInjector &injector, ServerMetrics *metrics, quint64 connectionId, Ends ends, QObject *parent)
    : QObject(parent),
      m_injector(injector),
      m_metrics(metrics),
      m_connectionId(connectionId),
      m_cut(std::move(ends.cut))
{
    m_clock.start();
    setUp(m_in, FaultInjector::Direction::Inbound, std::move(ends.inbound));
    setUp(m_out, FaultInjector::Direction::Outbound, std::move(ends.outbound));
}

FaultyLink::~FaultyLink() = default;

void FaultyLink::setUp(Lane &lane, FaultInjector::Direction direction, Carry carry)
{
    lane.direction = direction;
    lane.carry = std::move(carry);
    lane.release.setSingleShot(true);
    lane.holdLimit.setSingleShot(true);
    lane.holdLimit.setInterval(kHoldLimitMs);
    connect(&lane.release, &QTimer::timeout, this, [this, &lane] { releaseDue(lane); });
    connect(&lane.holdLimit, &QTimer::timeout, this, [this, &lane] { releaseHeld(lane); });
}

void FaultyLink::count(Kind kind, const Lane &lane)
{
    const char *direction = FaultInjector::name(lane.direction);
    qCDebug(lcServer).nospace() << "conn " << m_connectionId << " fault " << FaultInjector::name(kind) << " "
                                << direction;
    if (m_metrics)
        m_metrics->faultInjected(FaultInjector::name(kind), direction);
}

void FaultyLink::pass(Lane &lane, const QByteArray &bytes)
{
    if (m_cutDone)
        return;
    const FaultInjector::Decision d = m_injector.decide(lane.direction);
    if (d.disconnect) {
        count(Kind::Disconnect, lane);
        m_cutDone = true;
        m_cut();
        return;
    }
    if (d.drop) {
        count(Kind::Drop, lane);
        return;
    }
    if (d.delayMs > 0)
        count(Kind::Delay, lane);
    if (d.reorder && !lane.holding) {
        count(Kind::Reorder, lane);
        lane.held = bytes;
        lane.holding = true;
        lane.holdLimit.start();
        return;
    }
    enqueue(lane, bytes, d.delayMs);
    if (d.duplicate) {
        count(Kind::Duplicate, lane);
        enqueue(lane, bytes, d.delayMs);
    }
    if (lane.holding)
        releaseHeld(lane); // the held frame goes right behind the one that overtook it
}

void FaultyLink::releaseHeld(Lane &lane)
{
    if (!lane.holding)
        return;
    lane.holdLimit.stop();
    lane.holding = false;
    enqueue(lane, std::exchange(lane.held, {}), 0);
}

void FaultyLink::enqueue(Lane &lane, const QByteArray &bytes, int delayMs)
{
    const qint64 now = m_clock.elapsed();
    if (delayMs <= 0 && lane.queue.empty()) {
        lane.carry(bytes);
        return;
    }
    // Behind whatever waits already: a delay slows the lane, it does not reorder it.
    const qint64 at = std::max(now + delayMs, lane.lastRelease);
    lane.lastRelease = at;
    lane.queue.emplace_back(at, bytes);
    if (!lane.release.isActive())
        lane.release.start(int(std::max<qint64>(0, lane.queue.front().first - now)));
}

void FaultyLink::releaseDue(Lane &lane)
{
    const qint64 now = m_clock.elapsed();
    while (!lane.queue.empty() && lane.queue.front().first <= now && !m_cutDone) {
        const QByteArray bytes = std::move(lane.queue.front().second);
        lane.queue.pop_front();
        lane.carry(bytes);
    }
    if (!lane.queue.empty() && !m_cutDone)
        lane.release.start(int(std::max<qint64>(0, lane.queue.front().first - now)));
}

} // namespace chattermesh::server

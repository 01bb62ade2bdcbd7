// SPDX-License-Identifier: GPL-3.0-or-later
#include "TokenBucket.h"

#include <algorithm>
#include <cmath>

namespace chattermesh::server {

TokenBucket::TokenBucket(double burst, double ratePerSecond, qint64 nowMs)
    : m_burst(burst), m_rate(ratePerSecond), m_tokens(burst), m_lastMs(nowMs)
{ }

double TokenBucket::level(qint64 nowMs) const
{
    const double elapsed = double(std::max<qint64>(0, nowMs - m_lastMs)) / 1000.0;
    return std::min(m_burst, m_tokens + elapsed * m_rate);
}

bool TokenBucket::take(qint64 nowMs)
{
    m_tokens = level(nowMs);
    m_lastMs = std::max(m_lastMs, nowMs);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

bool TokenBucket::isFull(qint64 nowMs) const
{
    return level(nowMs) >= m_burst;
}

qint64 TokenBucket::msUntilToken(qint64 nowMs) const
{
    const double missing = 1.0 - level(nowMs);
    if (missing <= 0)
        return 0;
    return qint64(std::ceil(missing / m_rate * 1000.0));
}

} // namespace chattermesh::server

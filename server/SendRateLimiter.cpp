// SPDX-License-Identifier: GPL-3.0-or-later
#include "SendRateLimiter.h"

namespace chattermesh::server {

namespace {

// Full buckets say nothing a fresh one would not: drop them once the table grows.
constexpr qsizetype kPruneAbove = 4096;

} // namespace

qint64 SendRateLimiter::take(quint64 userId, qint64 nowMs)
{
    if (m_perMinute <= 0)
        return 0;
    if (m_buckets.size() > kPruneAbove)
        m_buckets.removeIf([nowMs](const auto &entry) { return entry.value().isFull(nowMs); });
    auto bucket = m_buckets.find(userId);
    if (bucket == m_buckets.end())
        bucket = m_buckets.insert(userId, TokenBucket(m_burst, m_perMinute / 60.0, nowMs));
    if (bucket->take(nowMs))
        return 0;
    return std::max<qint64>(1, bucket->msUntilToken(nowMs));
}

} // namespace chattermesh::server

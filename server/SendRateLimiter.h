// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TokenBucket.h"

#include <QHash>

namespace chattermesh::server {

// The per-user Send rate (docs/operations.md, *Limits*): one token bucket per user, over all of its
// devices, holding `burst` Sends and refilled at `perMinute`. Time comes in from the caller
// (milliseconds of a monotonic clock). perMinute 0 lets everything through.
class SendRateLimiter {
public:
    SendRateLimiter(int perMinute, int burst) : m_perMinute(perMinute), m_burst(burst) { }

    // 0 when the Send may go ahead (a token is taken); otherwise the milliseconds until one may.
    qint64 take(quint64 userId, qint64 nowMs);

private:
    int m_perMinute;
    int m_burst;
    QHash<quint64, TokenBucket> m_buckets;
};

} // namespace chattermesh::server

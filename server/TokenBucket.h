// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace chattermesh::server {

// A token bucket: holds up to `burst` tokens, refilled at `ratePerSecond`; each event takes one.
// Time comes in from the caller (milliseconds of a monotonic clock), so tests can drive it.
class TokenBucket {
public:
    TokenBucket() = default;
    TokenBucket(double burst, double ratePerSecond, qint64 nowMs);

    bool take(qint64 nowMs); // false: over the limit, nothing taken
    bool isFull(qint64 nowMs) const;
    // Milliseconds until take() would succeed (0: it would now), rounded up.
    qint64 msUntilToken(qint64 nowMs) const;

private:
    double level(qint64 nowMs) const;

    double m_burst = 1;
    double m_rate = 1;
    double m_tokens = 1;
    qint64 m_lastMs = 0;
};

} // namespace chattermesh::server

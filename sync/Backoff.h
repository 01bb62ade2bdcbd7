// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>
#include <functional>

namespace chattermesh::sync {

// Reconnect delays: exponential from `minMs` up to `maxMs`, with "equal jitter" (half the step
// fixed, half random) so that a server restart does not get every client back in the same instant.
class Backoff {
public:
    // `random` returns a value in [0, 1); injected so tests are deterministic.
    Backoff(int minMs, int maxMs, std::function<double()> random = {});

    int nextDelayMs();
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

private:
    int m_minMs;
    int m_maxMs;
    int m_attempt = 0;
    std::function<double()> m_random;
};

} // namespace chattermesh::sync

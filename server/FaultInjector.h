// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FaultSpec.h"

#include <mutex>
#include <random>

namespace chattermesh::server {

// Decides, frame by frame, which fault --faults injects. One seeded generator for the whole
// server: the same seed and the same sequence of frames give the same decisions, so a failing
// chaos run can be replayed. Thread-safe: decisions are serialised (with several network threads
// the interleaving of connections, and so the replay, also depends on scheduling).
class FaultInjector {
public:
    enum class Direction { Inbound, Outbound };
    enum class Kind { Drop, Duplicate, Delay, Reorder, Disconnect };

    struct Decision {
        bool disconnect = false; // abort the socket; the frame is lost with it
        bool drop = false;
        bool duplicate = false;
        bool reorder = false; // hold it until the next frame in the same direction has gone
        int delayMs = 0;
        bool operator==(const Decision &o) const
        {
            return disconnect == o.disconnect && drop == o.drop && duplicate == o.duplicate
                && reorder == o.reorder && delayMs == o.delayMs;
        }
    };

    FaultInjector(FaultSpec spec, quint64 seed);

    // Every call draws the same amount from the generator, whatever it decides, so one decision
    // never shifts the ones after it. At most one of disconnect, drop, duplicate, reorder is set.
    Decision decide(Direction direction);

    const FaultSpec &spec() const { return m_spec; }
    quint64 seed() const { return m_seed; }

    static const char *name(Kind kind);
    static const char *name(Direction direction);

private:
    double uniform(); // [0, 1), the same on every platform for a given seed

    FaultSpec m_spec;
    quint64 m_seed;
    std::mutex m_mutex;
    std::mt19937_64 m_random;
};

} // namespace chattermesh::server

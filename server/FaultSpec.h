// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QString>

namespace chattermesh::server {

// What --faults asks for: per-frame probabilities of each fault and the delay range. Plain data;
// everything zero means no faults. docs/operations.md, *Fault injection*.
struct FaultSpec {
    double drop = 0; // the frame is lost
    double duplicate = 0; // the frame arrives twice
    double reorder = 0; // the frame is held and goes after the next one
    double disconnect = 0; // the socket is aborted instead of carrying the frame
    int delayMinMs = 0; // every frame waits a random time in [min, max]; order is kept
    int delayMaxMs = 0;

    bool enabled() const
    {
        return drop > 0 || duplicate > 0 || reorder > 0 || disconnect > 0 || delayMaxMs > 0;
    }
    // The canonical text form ("drop=0.01,dup=0.01,delay=5-50ms,..."): what the server logs.
    QString toString() const;

    enum class ErrorCode {
        Malformed, // an item is not KEY=VALUE
        UnknownKey, // KEY is not drop, dup, delay, reorder or disconnect
        BadValue, // VALUE is not a probability in [0, 1], or not a delay ("Nms", "A-Bms", A <= B)
        Repeated, // the same KEY twice
    };
    // "drop=0.01,dup=0.01,delay=5-50ms,reorder=0.01,disconnect=0.001"; any subset, any order; ""
    // and "off" mean no faults. The error's message names the item at fault.
    static Result<FaultSpec, ErrorCode> parse(const QString &text);
};

} // namespace chattermesh::server

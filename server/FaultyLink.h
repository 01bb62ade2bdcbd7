// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FaultInjector.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <deque>
#include <functional>

namespace chattermesh::server {

class ServerMetrics;

// Carries one connection's frames through the faults a FaultInjector decides: each direction is a
// lane that may drop, duplicate, delay (in order), or hold a frame back until the next one has
// gone (reorder); a disconnect cuts the whole connection. Counts each fault in the metrics.
class FaultyLink : public QObject {
    Q_OBJECT
public:
    using Carry = std::function<void(const QByteArray &bytes)>;

    struct Ends {
        Carry inbound; // hands a frame from the client on to decoding and dispatch
        Carry outbound; // writes a frame to the socket
        std::function<void()> cut; // aborts the socket
    };

    // A frame held for reordering goes alone after this long if no other frame comes to pass it.
    static constexpr int kHoldLimitMs = 200;

    FaultyLink(FaultInjector &injector, ServerMetrics *metrics, quint64 connectionId, Ends ends,
        QObject *parent = nullptr);
    ~FaultyLink() override;

    void inbound(const QByteArray &bytes) { pass(m_in, bytes); }
    void outbound(const QByteArray &bytes) { pass(m_out, bytes); }

private:
    struct Lane {
        FaultInjector::Direction direction;
        Carry carry;
        std::deque<std::pair<qint64, QByteArray>> queue; // release time (ms on m_clock), frame
        qint64 lastRelease = 0;
        QByteArray held;
        bool holding = false;
        QTimer release;
        QTimer holdLimit;
    };

    void pass(Lane &lane, const QByteArray &bytes);
    void enqueue(Lane &lane, const QByteArray &bytes, int delayMs);
    void releaseDue(Lane &lane);
    void releaseHeld(Lane &lane);
    void count(FaultInjector::Kind kind, const Lane &lane);
    void setUp(Lane &lane, FaultInjector::Direction direction, Carry carry);

    FaultInjector &m_injector;
    ServerMetrics *m_metrics;
    quint64 m_connectionId;
    std::function<void()> m_cut;
    QElapsedTimer m_clock;
    Lane m_in;
    Lane m_out;
    bool m_cutDone = false;
};

} // namespace chattermesh::server

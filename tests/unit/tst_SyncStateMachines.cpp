// SPDX-License-Identifier: GPL-3.0-or-later
// Backoff, heartbeat and inbox sequencing: pure state machines driven by a manual clock.
#include "Backoff.h"
#include "Heartbeat.h"
#include "InboundSequencer.h"

#include <QTest>

using namespace chattermesh;

class tst_SyncStateMachines : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void backoffGrowsAndCaps()
    {
        sync::Backoff b(100, 1000, [] { return 0.0; });
        QCOMPARE(b.nextDelayMs(), 50); // half of 100
        QCOMPARE(b.nextDelayMs(), 100); // half of 200
        QCOMPARE(b.nextDelayMs(), 200);
        QCOMPARE(b.nextDelayMs(), 400);
        QCOMPARE(b.nextDelayMs(), 500); // capped at 1000
        QCOMPARE(b.nextDelayMs(), 500);
        b.reset();
        QCOMPARE(b.nextDelayMs(), 50);
    }
    void backoffJitterStaysInRange()
    {
        double r = 0.999;
        sync::Backoff b(100, 1000, [&] { return r; });
        QCOMPARE(b.nextDelayMs(), 99);
        r = 0.5;
        QCOMPARE(b.nextDelayMs(), 150);
    }
    void heartbeatPingsThenDeclaresDead()
    {
        sync::ManualClock clock;
        sync::Heartbeat hb(&clock, 15'000, 45'000);
        QCOMPARE(hb.tick(), sync::Heartbeat::Action::None);
        clock.advance(14'999);
        QCOMPARE(hb.tick(), sync::Heartbeat::Action::None);
        clock.advance(1);
        QCOMPARE(hb.tick(), sync::Heartbeat::Action::SendPing);
        QCOMPARE(hb.tick(), sync::Heartbeat::Action::None); // one ping per interval
        clock.advance(15'000);
        QCOMPARE(hb.tick(), sync::Heartbeat::Action::SendPing);
        clock.advance(15'000);
        QCOMPARE(hb.tick(), sync::Heartbeat::Action::Dead);
    }
    void heartbeatFrameKeepsAlive()
    {
        sync::ManualClock clock;
        sync::Heartbeat hb(&clock, 15'000, 45'000);
        for (int i = 0; i < 10; ++i) {
            clock.advance(10'000);
            hb.frameReceived();
            QCOMPARE(hb.tick(), sync::Heartbeat::Action::None);
        }
    }
    void sequencerAcceptsInOrderOnly()
    {
        core::InboundSequencer s;
        s.reset(10);
        QCOMPARE(s.offer(10), core::InboundSequencer::Verdict::Duplicate);
        QCOMPARE(s.offer(12), core::InboundSequencer::Verdict::Gap);
        QCOMPARE(s.accepted(), 10u);
        QCOMPARE(s.offer(11), core::InboundSequencer::Verdict::Accept);
        QCOMPARE(s.offer(12), core::InboundSequencer::Verdict::Accept);
        QCOMPARE(s.offer(11), core::InboundSequencer::Verdict::Duplicate);
        QCOMPARE(s.accepted(), 12u);
    }
};

QTEST_GUILESS_MAIN(tst_SyncStateMachines)
#include "tst_SyncStateMachines.moc"

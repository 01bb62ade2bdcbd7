// SPDX-License-Identifier: GPL-3.0-or-later
// The server's rate limiter on an injected clock: a burst passes, then one event per refill
// interval; idle time refills only up to the burst.
#include "TokenBucket.h"

#include <QTest>

using chattermesh::server::TokenBucket;

class tst_TokenBucket : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefillRate()
    {
        TokenBucket bucket(5, 1.0, 0); // burst 5, one per second
        for (int i = 0; i < 5; ++i)
            QVERIFY(bucket.take(0));
        QVERIFY(!bucket.take(0));
        QVERIFY(!bucket.take(999)); // not quite one token yet
        QVERIFY(bucket.take(1000));
        QVERIFY(!bucket.take(1000));
        QVERIFY(bucket.take(2500));
        QVERIFY(!bucket.take(2900)); // 0.4 of a token left from the half second
    }

    void msUntilTokenRoundsUp()
    {
        TokenBucket bucket(1, 4.0, 0); // one every 250 ms
        QCOMPARE(bucket.msUntilToken(0), qint64(0));
        QVERIFY(bucket.take(0));
        QCOMPARE(bucket.msUntilToken(0), qint64(250));
        QCOMPARE(bucket.msUntilToken(100), qint64(150));
        QCOMPARE(bucket.msUntilToken(250), qint64(0));
    }

    void idleRefillsOnlyUpToTheBurst()
    {
        TokenBucket bucket(3, 2.0, 0);
        QVERIFY(bucket.take(0));
        QVERIFY(!bucket.isFull(0));
        QVERIFY(bucket.isFull(60'000));
        for (int i = 0; i < 3; ++i)
            QVERIFY(bucket.take(60'000));
        QVERIFY(!bucket.take(60'000)); // an hour of silence does not buy more than the burst
        QVERIFY(bucket.take(60'500)); // 2 per second: one every 500 ms
    }

    void aClockGoingBackDoesNotMint()
    {
        TokenBucket bucket(1, 1.0, 10'000);
        QVERIFY(bucket.take(10'000));
        QVERIFY(!bucket.take(5'000));
        QVERIFY(!bucket.take(10'500));
    }
};

QTEST_GUILESS_MAIN(tst_TokenBucket)
#include "tst_TokenBucket.moc"

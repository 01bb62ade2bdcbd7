// SPDX-License-Identifier: GPL-3.0-or-later
// The server's bound on typists forwarded per conversation, on an injected clock: slots fill, a
// refresh keeps a slot, a stop or 6 s of silence frees it, conversations are independent.
#include "TypistSlots.h"

#include <QTest>

using chattermesh::server::TypistSlots;

class tst_TypistSlots : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void boundsConcurrentTypists()
    {
        TypistSlots bound(2);
        QVERIFY(bound.start(1, 10, 0));
        QVERIFY(bound.start(1, 11, 0));
        QVERIFY(!bound.start(1, 12, 0)); // full: dropped, counted
        QCOMPARE(bound.dropped(), qint64(1));
        QVERIFY(bound.start(1, 10, 2000)); // a refresh keeps its own slot
        QVERIFY(bound.start(2, 12, 0)); // another conversation has its own bound
        QVERIFY(!bound.stop(1, 12)); // never shown typing: its stop is not forwarded either
    }

    void stopFreesSlot()
    {
        TypistSlots bound(1);
        QVERIFY(bound.start(1, 10, 0));
        QVERIFY(!bound.start(1, 11, 0));
        QVERIFY(bound.stop(1, 10));
        QVERIFY(bound.start(1, 11, 1));
        QVERIFY(bound.stop(1, 11));
        QCOMPARE(bound.trackedConversations(), qsizetype(0)); // nothing kept for quiet conversations
    }

    void expiryFreesSlot()
    {
        TypistSlots bound(1);
        QVERIFY(bound.start(1, 10, 0));
        QVERIFY(bound.start(1, 10, 3000)); // refreshed at 3 s: held until 9 s
        QVERIFY(!bound.start(1, 11, 8999));
        QVERIFY(bound.start(1, 11, 3000 + TypistSlots::kExpiryMs));
        QVERIFY(!bound.stop(1, 10)); // expired: receivers have already dropped it too
    }

    void zeroMeansNoBound()
    {
        TypistSlots bound(0);
        for (quint64 user = 0; user < 100; ++user)
            QVERIFY(bound.start(1, user, 0));
        QVERIFY(bound.stop(1, 5000));
        QCOMPARE(bound.dropped(), qint64(0));
    }
};

QTEST_GUILESS_MAIN(tst_TypistSlots)
#include "tst_TypistSlots.moc"

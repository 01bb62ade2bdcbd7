// SPDX-License-Identifier: GPL-3.0-or-later
// The server's login lockout on an injected clock: free attempts, then lockouts that double up to
// the cap, per account and per address; a lockout expires; a right password clears the account.
#include "LoginThrottle.h"

#include <QTest>

using namespace Qt::StringLiterals;
using chattermesh::server::LoginThrottle;

namespace {

const QString kAlice = u"alice"_s;
const QString kHome = u"192.0.2.1"_s;

} // namespace

class tst_LoginThrottle : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void freeAttemptsThenDoublingLockouts()
    {
        LoginThrottle throttle(3, 0, 1000, 8000); // per address off
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(throttle.lockedForMs(kAlice, kHome, 0), qint64(0));
            throttle.failed(kAlice, kHome, 0);
        }
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 0), qint64(0)); // three free failures
        throttle.failed(kAlice, kHome, 0); // the 4th locks for the base
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 0), qint64(1000));
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 600), qint64(400));
        QCOMPARE(throttle.lockedForMs(u"bob"_s, kHome, 600), qint64(0)); // other accounts are not touched
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 1000), qint64(0)); // expired
        throttle.failed(kAlice, kHome, 1000);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 1000), qint64(2000));
        throttle.failed(kAlice, kHome, 3000);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 3000), qint64(4000));
        throttle.failed(kAlice, kHome, 7000);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 7000), qint64(8000));
        throttle.failed(kAlice, kHome, 15000);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 15000), qint64(8000)); // capped
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 23000), qint64(0));
    }

    void successClearsTheAccount()
    {
        LoginThrottle throttle(2, 0, 1000, 60000);
        throttle.failed(kAlice, kHome, 0);
        throttle.failed(kAlice, kHome, 0);
        throttle.succeeded(kAlice);
        throttle.failed(kAlice, kHome, 0);
        throttle.failed(kAlice, kHome, 0);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 0), qint64(0)); // counting started over
        throttle.failed(kAlice, kHome, 0);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 0), qint64(1000));
    }

    void quietKeysStartOver()
    {
        LoginThrottle throttle(1, 0, 1000, 10000);
        throttle.failed(kAlice, kHome, 0);
        throttle.failed(kAlice, kHome, 0);
        throttle.failed(kAlice, kHome, 1000);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 1000), qint64(2000));
        // Silent for the cap after the lockout ended: the next failure is a first one again.
        throttle.failed(kAlice, kHome, 3000 + 10000);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 13000), qint64(0));
    }

    void perAddressAcrossAccounts()
    {
        LoginThrottle throttle(100, 3, 1000, 60000);
        for (int i = 0; i < 4; ++i)
            throttle.failed(u"user%1"_s.arg(i), kHome, 0);
        QCOMPARE(throttle.lockedForMs(u"someone"_s, kHome, 0), qint64(1000));
        QCOMPARE(throttle.lockedForMs(u"someone"_s, u"198.51.100.7"_s, 0), qint64(0));
        throttle.succeeded(u"user0"_s); // a right password elsewhere does not clear the address
        QCOMPARE(throttle.lockedForMs(u"user0"_s, kHome, 500), qint64(500));
    }
};

QTEST_GUILESS_MAIN(tst_LoginThrottle)
#include "tst_LoginThrottle.moc"

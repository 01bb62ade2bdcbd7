// SPDX-License-Identifier: GPL-3.0-or-later
// The server's login lockout on an injected clock: free attempts, then lockouts that double up to
// the cap, per account and per address; a lockout expires; a right password clears the account.
// Attempts being checked count against the budget (parallel Logins get no more guesses), and
// addresses are keyed by IPv4 address or IPv6 /64.
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
        throttle.succeeded(kAlice, kHome);
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
        throttle.succeeded(
            u"user0"_s, u"198.51.100.7"_s); // a right password elsewhere does not clear the address
        QCOMPARE(throttle.lockedForMs(u"user0"_s, kHome, 500), qint64(500));
    }

    // Ten Logins admitted at the same instant, none settled yet: only the free ones get a check;
    // the others wait the base lockout. Past the free failures, one guess at a time.
    void concurrentReservationsOnlyTheBudget()
    {
        LoginThrottle throttle(3, 0, 1000, 60000);
        int admitted = 0;
        for (int i = 0; i < 10; ++i) {
            const qint64 wait = throttle.reserve(kAlice, kHome, 0);
            QVERIFY(wait == 0 || wait == 1000);
            admitted += wait == 0;
        }
        QCOMPARE(admitted, 3);
        QCOMPARE(throttle.lockedForMs(u"bob"_s, kHome, 0), qint64(0)); // per account only
        for (int i = 0; i < 3; ++i)
            throttle.failed(kAlice, kHome, 10);
        QCOMPARE(throttle.reserve(kAlice, kHome, 10), qint64(0)); // the one that may start the lockout
        QCOMPARE(throttle.reserve(kAlice, kHome, 10), qint64(1000));
        throttle.failed(kAlice, kHome, 20);
        QCOMPARE(throttle.reserve(kAlice, kHome, 20), qint64(1000)); // locked now
        QCOMPARE(throttle.reserve(kAlice, kHome, 1020), qint64(0));
        QCOMPARE(throttle.reserve(kAlice, kHome, 1020), qint64(1000));
    }

    void concurrentReservationsPerAddress()
    {
        LoginThrottle throttle(100, 2, 1000, 60000);
        int admitted = 0;
        for (int i = 0; i < 6; ++i)
            admitted += throttle.reserve(u"user%1"_s.arg(i), kHome, 0) == 0;
        QCOMPARE(admitted, 2);
        QCOMPARE(throttle.reserve(u"someone"_s, u"198.51.100.7"_s, 0), qint64(0));
        // Hosts of one IPv6 /64 share a budget.
        QCOMPARE(throttle.reserve(u"a"_s, u"2001:db8:1:2::1"_s, 0), qint64(0));
        QCOMPARE(throttle.reserve(u"b"_s, u"2001:db8:1:2::ff"_s, 0), qint64(0));
        QCOMPARE(throttle.reserve(u"c"_s, u"2001:db8:1:2:aaaa::7"_s, 0), qint64(1000));
        QCOMPARE(throttle.reserve(u"c"_s, u"2001:db8:1:3::1"_s, 0), qint64(0));
    }

    // A check that never ran gives its place back and counts for nothing; a success frees its place.
    void settlingGivesPlacesBack()
    {
        LoginThrottle throttle(2, 2, 1000, 60000);
        QCOMPARE(throttle.reserve(kAlice, kHome, 0), qint64(0));
        QCOMPARE(throttle.reserve(kAlice, kHome, 0), qint64(0));
        QCOMPARE(throttle.reserve(kAlice, kHome, 0), qint64(1000));
        throttle.released(kAlice, kHome);
        throttle.released(kAlice, kHome);
        QCOMPARE(throttle.reserve(kAlice, kHome, 0), qint64(0));
        throttle.succeeded(kAlice, kHome);
        // Nothing was counted: two free failures remain for both keys.
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(throttle.reserve(kAlice, kHome, 0), qint64(0));
            throttle.failed(kAlice, kHome, 0);
        }
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 0), qint64(0));
        QCOMPARE(throttle.reserve(kAlice, kHome, 0), qint64(0));
        throttle.failed(kAlice, kHome, 0);
        QCOMPARE(throttle.lockedForMs(kAlice, kHome, 0), qint64(1000));
    }

    void addressKeys()
    {
        const auto key = &LoginThrottle::addressKey;
        // IPv4: whole addresses.
        QCOMPARE(key(u"192.0.2.1"_s), u"192.0.2.1"_s);
        QVERIFY(key(u"192.0.2.1"_s) != key(u"192.0.2.2"_s));
        // IPv4-mapped IPv6 is the IPv4 address (a dual-stack socket shows IPv4 peers that way).
        QCOMPARE(key(u"::ffff:192.0.2.1"_s), key(u"192.0.2.1"_s));
        QVERIFY(key(u"::ffff:192.0.2.1"_s) != key(u"::ffff:192.0.2.2"_s));
        // IPv6: by /64, however the address is written.
        QCOMPARE(key(u"2001:db8:1:2::1"_s), u"2001:db8:1:2::/64"_s);
        QCOMPARE(key(u"2001:DB8:1:2:ffff:ffff:ffff:ffff"_s), key(u"2001:db8:1:2::1"_s));
        QCOMPARE(key(u"2001:0db8:0001:0002:0:0:0:9"_s), key(u"2001:db8:1:2::1"_s));
        QVERIFY(key(u"2001:db8:1:3::1"_s) != key(u"2001:db8:1:2::1"_s));
        QVERIFY(key(u"2001:db9:1:2::1"_s) != key(u"2001:db8:1:2::1"_s));
        QCOMPARE(key(u"::1"_s), u"::/64"_s);
        QCOMPARE(key(u"fe80::1%eth0"_s), key(u"fe80::2"_s));
        QVERIFY(key(u"::1"_s) != key(u"127.0.0.1"_s));
        // Not an address (in-process connections): its own key.
        QCOMPARE(key(u"fuzz"_s), u"fuzz"_s);
    }

    // The lockout follows the keys: failures from one host of a /64 lock its neighbours; failures
    // from a mapped IPv4 address lock the plain one.
    void lockoutByAddressKey()
    {
        LoginThrottle throttle(100, 1, 1000, 60000);
        throttle.failed(u"a"_s, u"2001:db8:1:2::1"_s, 0);
        throttle.failed(u"b"_s, u"2001:db8:1:2::2"_s, 0);
        QCOMPARE(throttle.lockedForMs(u"c"_s, u"2001:db8:1:2:3:4:5:6"_s, 0), qint64(1000));
        QCOMPARE(throttle.lockedForMs(u"c"_s, u"2001:db8:1:3::1"_s, 0), qint64(0));
        throttle.failed(u"a"_s, u"::ffff:192.0.2.1"_s, 0);
        throttle.failed(u"b"_s, u"192.0.2.1"_s, 0);
        QCOMPARE(throttle.lockedForMs(u"c"_s, u"192.0.2.1"_s, 0), qint64(1000));
        QCOMPARE(throttle.lockedForMs(u"c"_s, u"::ffff:192.0.2.1"_s, 0), qint64(1000));
        QCOMPARE(throttle.lockedForMs(u"c"_s, u"192.0.2.2"_s, 0), qint64(0));
    }
};

QTEST_GUILESS_MAIN(tst_LoginThrottle)
#include "tst_LoginThrottle.moc"

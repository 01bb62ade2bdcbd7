// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace chattermesh::server {

// Login attempts per account and per address with exponential lockout (docs/operations.md,
// *Limits*). Each key may fail `free` times; every failure after that locks it for
// base, 2×base, 4×base, ... up to max. While either the account or the address is locked, Login is
// refused before the password is looked at, so a right guess during a lockout is refused too and a
// refused attempt does not lengthen the lockout. A key that has not failed for `max` after its
// lockout ended starts over. Time comes in from the caller (milliseconds of a monotonic clock), so
// tests can drive it. free 0 turns a key kind off.
//
// Password checks take a while (the KDF) and run in parallel, so an attempt is reserved when it is
// admitted and counts against the budget until it is settled (failed, succeeded or released):
// otherwise N Logins sent at once would all be admitted before the first failure is recorded.
// Addresses are grouped by addressKey().
class LoginThrottle {
public:
    LoginThrottle(int freePerAccount, int freePerAddress, qint64 baseLockoutMs, qint64 maxLockoutMs);

    // 0: an attempt may go ahead now; otherwise milliseconds to wait: until both keys are unlocked,
    // or the base lockout while the attempts already admitted take up what is left of a budget
    // (their checks end sooner; if they fail, a lockout follows).
    qint64 lockedForMs(const QString &account, const QString &address, qint64 nowMs) const;
    // lockedForMs(), and on 0 the attempt is admitted: reserved until exactly one of the three
    // calls below settles it.
    qint64 reserve(const QString &account, const QString &address, qint64 nowMs);
    // The reserved attempt had a wrong password (or an unknown user). Without a reservation (the
    // tests' shortcut) it is one more failure all the same.
    void failed(const QString &account, const QString &address, qint64 nowMs);
    // A right password clears the account's failures (not the address's: one account of its own
    // must not let an address guess others' passwords for free).
    void succeeded(const QString &account, const QString &address);
    // The password was never checked (the connection went away first, the store failed): the
    // attempt gives its place back and counts for nothing.
    void released(const QString &account, const QString &address);

    // The per-address key: an IPv4 address as it is; an IPv6 address by its /64, since whoever
    // has one address of a /64 usually has all of them ("2001:db8:1:2::/64"); an IPv4-mapped IPv6
    // address (::ffff:a.b.c.d, how a dual-stack socket shows an IPv4 peer) as the IPv4 address.
    // Anything that does not parse as an address is its own key.
    static QString addressKey(const QString &address);

private:
    struct Record {
        int failures = 0;
        qint64 lockedUntilMs = 0;
        qint64 lastFailureMs = 0;
        int inFlight = 0; // reserved, not yet settled
    };
    using Table = QHash<QString, Record>;

    qint64 wait(const Table &table, const QString &key, int free, qint64 nowMs) const;
    // The key's record, made if new (old records are pruned then).
    Record &entry(Table &table, const QString &key, qint64 nowMs);
    // Gives a reservation back; the key's record, or nullptr if it has none.
    static Record *settle(Table &table, const QString &key);
    void fail(Record &record, int free, qint64 nowMs) const;
    static void dropIfEmpty(Table &table, const QString &key);
    static void giveBack(Table &table, const QString &key); // settle, then drop if empty
    bool stale(const Record &record, qint64 nowMs) const;

    int m_freePerAccount;
    int m_freePerAddress;
    qint64 m_baseMs;
    qint64 m_maxMs;
    Table m_accounts;
    Table m_addresses; // by addressKey()
};

} // namespace chattermesh::server

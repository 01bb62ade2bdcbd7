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
class LoginThrottle {
public:
    LoginThrottle(int freePerAccount, int freePerAddress, qint64 baseLockoutMs, qint64 maxLockoutMs);

    // 0: the attempt may go ahead; otherwise milliseconds until both are unlocked.
    qint64 lockedForMs(const QString &account, const QString &address, qint64 nowMs);
    void failed(const QString &account, const QString &address, qint64 nowMs);
    // A right password clears the account's failures (not the address's: one account of its own
    // must not let an address guess others' passwords for free).
    void succeeded(const QString &account);

private:
    struct Record {
        int failures = 0;
        qint64 lockedUntilMs = 0;
        qint64 lastFailureMs = 0;
    };
    using Table = QHash<QString, Record>;

    static qint64 remaining(const Table &table, const QString &key, qint64 nowMs);
    void fail(Table &table, const QString &key, int free, qint64 nowMs);
    bool stale(const Record &record, qint64 nowMs) const;

    int m_freePerAccount;
    int m_freePerAddress;
    qint64 m_baseMs;
    qint64 m_maxMs;
    Table m_accounts;
    Table m_addresses;
};

} // namespace chattermesh::server

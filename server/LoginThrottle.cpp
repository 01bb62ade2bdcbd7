// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoginThrottle.h"

#include <algorithm>

namespace chattermesh::server {

namespace {

// Records that say nothing any more are dropped once a table grows past this.
constexpr qsizetype kPruneAbove = 4096;

} // namespace

LoginThrottle::LoginThrottle(
    int freePerAccount, int freePerAddress, qint64 baseLockoutMs, qint64 maxLockoutMs)
    : m_freePerAccount(freePerAccount),
      m_freePerAddress(freePerAddress),
      m_baseMs(std::max<qint64>(1, baseLockoutMs)),
      m_maxMs(std::max(m_baseMs, maxLockoutMs))
{ }

bool LoginThrottle::stale(const Record &record, qint64 nowMs) const
{
    return nowMs >= record.lockedUntilMs
        && nowMs - std::max(record.lockedUntilMs, record.lastFailureMs) >= m_maxMs;
}

qint64 LoginThrottle::remaining(const Table &table, const QString &key, qint64 nowMs)
{
    const auto found = table.constFind(key);
    if (found == table.cend())
        return 0;
    return std::max<qint64>(0, found->lockedUntilMs - nowMs);
}

qint64 LoginThrottle::lockedForMs(const QString &account, const QString &address, qint64 nowMs)
{
    qint64 wait = 0;
    if (m_freePerAccount > 0)
        wait = remaining(m_accounts, account, nowMs);
    if (m_freePerAddress > 0)
        wait = std::max(wait, remaining(m_addresses, address, nowMs));
    return wait;
}

void LoginThrottle::fail(Table &table, const QString &key, int free, qint64 nowMs)
{
    if (free <= 0)
        return;
    if (table.size() > kPruneAbove)
        table.removeIf([this, nowMs](const auto &entry) { return stale(entry.value(), nowMs); });
    Record &record = table[key];
    if (record.failures > 0 && stale(record, nowMs))
        record = Record {};
    ++record.failures;
    record.lastFailureMs = nowMs;
    const int over = record.failures - free;
    if (over <= 0)
        return;
    // base << (over - 1), without overflowing the shift.
    qint64 lockout = m_baseMs;
    for (int i = 1; i < over && lockout < m_maxMs; ++i)
        lockout *= 2;
    record.lockedUntilMs = nowMs + std::min(lockout, m_maxMs);
}

void LoginThrottle::failed(const QString &account, const QString &address, qint64 nowMs)
{
    fail(m_accounts, account, m_freePerAccount, nowMs);
    fail(m_addresses, address, m_freePerAddress, nowMs);
}

void LoginThrottle::succeeded(const QString &account)
{
    m_accounts.remove(account);
}

} // namespace chattermesh::server

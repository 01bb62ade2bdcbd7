// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoginThrottle.h"

#include <QHostAddress>
#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

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

QString LoginThrottle::addressKey(const QString &address)
{
    const QHostAddress host(address);
    bool isV4 = false;
    const quint32 v4 = host.toIPv4Address(&isV4); // also true for ::ffff:a.b.c.d
    if (isV4)
        return QHostAddress(v4).toString();
    if (host.protocol() != QAbstractSocket::IPv6Protocol)
        return address;
    Q_IPV6ADDR bytes = host.toIPv6Address(); // without a scope (fe80::1%eth0)
    std::fill(std::begin(bytes.c) + 8, std::end(bytes.c), quint8(0));
    return QHostAddress(bytes).toString() + u"/64"_s;
}

bool LoginThrottle::stale(const Record &record, qint64 nowMs) const
{
    return nowMs >= record.lockedUntilMs
        && nowMs - std::max(record.lockedUntilMs, record.lastFailureMs) >= m_maxMs;
}

qint64 LoginThrottle::wait(const Table &table, const QString &key, int free, qint64 nowMs) const
{
    if (free <= 0)
        return 0;
    const auto found = table.constFind(key);
    if (found == table.cend())
        return 0;
    if (found->lockedUntilMs > nowMs)
        return found->lockedUntilMs - nowMs;
    // Attempts being checked count as failures until settled. Past the free ones, one at a time:
    // without a lockout in force the next failure starts one, and only one guess may lead to it.
    const int failures = stale(*found, nowMs) ? 0 : found->failures;
    if (found->inFlight >= std::max(1, free - failures))
        return m_baseMs;
    return 0;
}

qint64 LoginThrottle::lockedForMs(const QString &account, const QString &address, qint64 nowMs) const
{
    return std::max(wait(m_accounts, account, m_freePerAccount, nowMs),
        wait(m_addresses, addressKey(address), m_freePerAddress, nowMs));
}

LoginThrottle::Record &LoginThrottle::entry(Table &table, const QString &key, qint64 nowMs)
{
    if (table.size() > kPruneAbove && !table.contains(key)) {
        table.removeIf(
            [this, nowMs](const auto &e) { return e.value().inFlight == 0 && stale(e.value(), nowMs); });
    }
    return table[key];
}

qint64 LoginThrottle::reserve(const QString &account, const QString &address, qint64 nowMs)
{
    if (const qint64 waitMs = lockedForMs(account, address, nowMs))
        return waitMs;
    if (m_freePerAccount > 0)
        ++entry(m_accounts, account, nowMs).inFlight;
    if (m_freePerAddress > 0)
        ++entry(m_addresses, addressKey(address), nowMs).inFlight;
    return 0;
}

LoginThrottle::Record *LoginThrottle::settle(Table &table, const QString &key)
{
    const auto found = table.find(key);
    if (found == table.end())
        return nullptr;
    found->inFlight = std::max(0, found->inFlight - 1);
    return &*found;
}

void LoginThrottle::dropIfEmpty(Table &table, const QString &key)
{
    const auto found = table.find(key);
    if (found != table.end() && found->inFlight == 0 && found->failures == 0)
        table.erase(found);
}

void LoginThrottle::fail(Record &record, int free, qint64 nowMs) const
{
    if (record.failures > 0 && stale(record, nowMs)) {
        record.failures = 0;
        record.lockedUntilMs = 0;
    }
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
    const auto count = [&](Table &table, const QString &key, int free) {
        if (free <= 0)
            return;
        Record &record = entry(table, key, nowMs);
        record.inFlight = std::max(0, record.inFlight - 1);
        fail(record, free, nowMs);
    };
    count(m_accounts, account, m_freePerAccount);
    count(m_addresses, addressKey(address), m_freePerAddress);
}

void LoginThrottle::giveBack(Table &table, const QString &key)
{
    settle(table, key);
    dropIfEmpty(table, key);
}

void LoginThrottle::succeeded(const QString &account, const QString &address)
{
    if (Record *record = settle(m_accounts, account))
        *record = Record { .inFlight = record->inFlight };
    dropIfEmpty(m_accounts, account);
    giveBack(m_addresses, addressKey(address));
}

void LoginThrottle::released(const QString &account, const QString &address)
{
    giveBack(m_accounts, account);
    giveBack(m_addresses, addressKey(address));
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QList>
#include <unistd.h>

namespace chattermesh::bench {

// CPU time (user + system, seconds) of a process or one of its threads, read from /proc so the
// benchmark can say which process was busy; -1 when unreadable. The comm field may hold spaces,
// so fields are counted after its closing parenthesis.
inline double cpuSecondsOf(const QString &statPath)
{
    QFile f(statPath);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    // After the comm: state is field 3 of stat(5), so utime (14) and stime (15) are at 11 and 12.
    const double ticks = fields[11].toDouble() + fields[12].toDouble();
    return ticks / double(sysconf(_SC_CLK_TCK));
}

inline double cpuSecondsOfProcess(qint64 pid)
{
    return cpuSecondsOf(QStringLiteral("/proc/%1/stat").arg(pid));
}

inline double cpuSecondsOfThread(qint64 pid, qint64 tid)
{
    return cpuSecondsOf(QStringLiteral("/proc/%1/task/%2/stat").arg(pid).arg(tid));
}

} // namespace chattermesh::bench

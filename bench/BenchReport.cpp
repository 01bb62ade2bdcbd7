// SPDX-License-Identifier: GPL-3.0-or-later
#include "BenchReport.h"

#include <QJsonDocument>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>
#include <algorithm>
#include <cmath>

namespace chattermesh::bench {

Percentiles percentiles(QList<double> v)
{
    Percentiles p;
    p.count = v.size();
    if (v.isEmpty())
        return p;
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        return v[std::min<qsizetype>(v.size() - 1, qsizetype(std::ceil(q * double(v.size()))) - 1)];
    };
    p.p50 = at(0.50);
    p.p95 = at(0.95);
    p.p99 = at(0.99);
    p.max = v.last();
    return p;
}

QJsonObject toJson(const Percentiles &p)
{
    return { { QStringLiteral("p50"), p.p50 }, { QStringLiteral("p95"), p.p95 },
        { QStringLiteral("p99"), p.p99 }, { QStringLiteral("max"), p.max },
        { QStringLiteral("count"), double(p.count) } };
}

QJsonObject machine()
{
    return { { QStringLiteral("cores"), QThread::idealThreadCount() },
        { QStringLiteral("os"), QSysInfo::prettyProductName() },
        { QStringLiteral("cpu_arch"), QSysInfo::currentCpuArchitecture() } };
}

void printReport(const QString &name, const QJsonObject &figures)
{
    const QJsonObject o { { QStringLiteral("bench"), name }, { QStringLiteral("machine"), machine() },
        { QStringLiteral("figures"), figures } };
    QTextStream(stdout) << QJsonDocument(o).toJson(QJsonDocument::Compact) << Qt::endl;
}

} // namespace chattermesh::bench

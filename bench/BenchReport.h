// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace chattermesh::bench {

struct Percentiles {
    double p50 = 0, p95 = 0, p99 = 0, max = 0;
    qsizetype count = 0;
};

// Sorts a copy; values in any unit, reported in the same unit.
Percentiles percentiles(QList<double> values);
QJsonObject toJson(const Percentiles &p);
QJsonObject machine();
// Prints the closing JSON line: {"bench": name, "machine": {...}, "figures": {...}}.
void printReport(const QString &name, const QJsonObject &figures);

} // namespace chattermesh::bench

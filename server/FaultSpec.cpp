// SPDX-License-Identifier: GPL-3.0-or-later
#include "FaultSpec.h"

#include <QRegularExpression>
#include <QSet>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kMaxDelayMs = 60'000; // a minute per frame already looks like a dead link

using Failed = Failure<FaultSpec::ErrorCode>;

std::optional<double> probability(const QString &text)
{
    bool ok = false;
    const double p = text.toDouble(&ok);
    if (!ok || !(p >= 0 && p <= 1)) // !(…) also refuses NaN
        return std::nullopt;
    return p;
}

// "Nms" or "A-Bms", A <= B.
std::optional<std::pair<int, int>> delayRange(const QString &text)
{
    static const QRegularExpression form(u"^(\\d{1,5})(?:-(\\d{1,5}))?ms$"_s);
    const QRegularExpressionMatch m = form.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const int low = m.captured(1).toInt();
    const int high = m.capturedLength(2) > 0 ? m.captured(2).toInt() : low;
    if (low > high || high > kMaxDelayMs)
        return std::nullopt;
    return std::pair { low, high };
}

} // namespace

QString FaultSpec::toString() const
{
    QStringList items;
    const auto add = [&items](const char *key, double p) {
        if (p > 0)
            items << QString::fromLatin1(key) + u'=' + QString::number(p);
    };
    add("drop", drop);
    add("dup", duplicate);
    if (delayMaxMs > 0)
        items << (delayMinMs == delayMaxMs ? u"delay=%1ms"_s.arg(delayMaxMs)
                                           : u"delay=%1-%2ms"_s.arg(delayMinMs).arg(delayMaxMs));
    add("reorder", reorder);
    add("disconnect", disconnect);
    return items.isEmpty() ? u"off"_s : items.join(u',');
}

Result<FaultSpec, FaultSpec::ErrorCode> FaultSpec::parse(const QString &text)
{
    FaultSpec spec;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed == u"off"_s)
        return spec;
    QSet<QString> seen;
    for (const QString &raw : trimmed.split(u',')) {
        const QString item = raw.trimmed();
        const qsizetype eq = item.indexOf(u'=');
        if (eq <= 0)
            return Failed { ErrorCode::Malformed, u"'%1' is not KEY=VALUE"_s.arg(item) };
        const QString key = item.left(eq).trimmed();
        const QString value = item.mid(eq + 1).trimmed();
        if (seen.contains(key))
            return Failed { ErrorCode::Repeated, u"'%1' is given twice"_s.arg(key) };
        seen.insert(key);
        if (key == u"delay"_s) {
            const auto range = delayRange(value);
            if (!range)
                return Failed { ErrorCode::BadValue,
                    u"delay=%1: must be Nms or A-Bms with A <= B <= %2"_s.arg(value).arg(kMaxDelayMs) };
            spec.delayMinMs = range->first;
            spec.delayMaxMs = range->second;
            continue;
        }
        double *field = key == u"drop"_s ? &spec.drop
            : key == u"dup"_s            ? &spec.duplicate
            : key == u"reorder"_s        ? &spec.reorder
            : key == u"disconnect"_s     ? &spec.disconnect
                                         : nullptr;
        if (!field)
            return Failed { ErrorCode::UnknownKey,
                u"unknown fault '%1' (known: drop, dup, delay, reorder, disconnect)"_s.arg(key) };
        const auto p = probability(value);
        if (!p)
            return Failed { ErrorCode::BadValue,
                u"%1=%2: must be a probability from 0 to 1"_s.arg(key, value) };
        *field = *p;
    }
    return spec;
}

} // namespace chattermesh::server

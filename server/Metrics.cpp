// SPDX-License-Identifier: GPL-3.0-or-later
#include "Metrics.h"

#include <algorithm>
#include <cmath>

namespace chattermesh::server {

namespace {

QByteArray number(double value)
{
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    return QByteArray::number(value, 'g', 15);
}

// Label values may hold any UTF-8; the format escapes backslash, double quote and newline.
QByteArray escapeLabel(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// HELP text escapes backslash and newline only.
QByteArray escapeHelp(const QByteArray &help)
{
    QByteArray out = help;
    out.replace('\\', "\\\\");
    out.replace('\n', "\\n");
    return out;
}

void sample(QByteArray &out, const QByteArray &name, const QByteArray &labels, const QByteArray &value)
{
    out += name;
    if (!labels.isEmpty()) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += value;
    out += '\n';
}

const char *typeName(MetricFamily::Type type)
{
    switch (type) {
    case MetricFamily::Type::Counter:
        return "counter";
    case MetricFamily::Type::Gauge:
        return "gauge";
    case MetricFamily::Type::Histogram:
        return "histogram";
    }
    return "untyped";
}

} // namespace

Histogram::Histogram(std::vector<double> bounds)
    : m_bounds(std::move(bounds)), m_buckets(new std::atomic<quint64>[m_bounds.size() + 1])
{
    std::sort(m_bounds.begin(), m_bounds.end());
    for (size_t i = 0; i <= m_bounds.size(); ++i)
        m_buckets[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value)
{
    const auto bucket = std::lower_bound(m_bounds.begin(), m_bounds.end(), value) - m_bounds.begin();
    m_buckets[size_t(bucket)].fetch_add(1, std::memory_order_relaxed);
    double sum = m_sum.load(std::memory_order_relaxed);
    while (!m_sum.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) { }
}

Histogram::Snapshot Histogram::snapshot() const
{
    // The count is the sum of the buckets read here, so +Inf and _count always agree, even while
    // other threads observe.
    Snapshot snapshot;
    snapshot.cumulative.reserve(m_bounds.size() + 1);
    quint64 running = 0;
    for (size_t i = 0; i <= m_bounds.size(); ++i) {
        running += m_buckets[i].load(std::memory_order_relaxed);
        snapshot.cumulative.push_back(running);
    }
    snapshot.count = running;
    snapshot.sum = m_sum.load(std::memory_order_relaxed);
    return snapshot;
}

namespace detail {

void renderSamples(QByteArray &out, const QByteArray &name, const QByteArray &labels, const Counter &metric)
{
    sample(out, name, labels, QByteArray::number(metric.value()));
}

void renderSamples(QByteArray &out, const QByteArray &name, const QByteArray &labels, const Gauge &metric)
{
    sample(out, name, labels, QByteArray::number(metric.value()));
}

void renderSamples(QByteArray &out, const QByteArray &name, const QByteArray &labels, const Histogram &metric)
{
    const Histogram::Snapshot snapshot = metric.snapshot();
    const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels + ',';
    const QByteArray bucket = name + "_bucket";
    for (size_t i = 0; i < metric.bounds().size(); ++i)
        sample(out, bucket, prefix + "le=\"" + number(metric.bounds()[i]) + '"',
            QByteArray::number(snapshot.cumulative[i]));
    sample(out, bucket, prefix + "le=\"+Inf\"", QByteArray::number(snapshot.count));
    sample(out, name + "_sum", labels, number(snapshot.sum));
    sample(out, name + "_count", labels, QByteArray::number(snapshot.count));
}

} // namespace detail

MetricFamily::MetricFamily(QByteArray name, QByteArray help, Type type, Labels labelNames)
    : m_name(std::move(name)), m_help(std::move(help)), m_type(type), m_labelNames(std::move(labelNames))
{ }

void MetricFamily::render(QByteArray &out) const
{
    out += "# HELP " + m_name + ' ' + escapeHelp(m_help) + '\n';
    out += "# TYPE " + m_name + ' ' + typeName(m_type) + '\n';
    forEachChild([&](const Labels &values, const void *child) {
        QByteArray labels;
        for (size_t i = 0; i < m_labelNames.size() && i < values.size(); ++i) {
            if (i > 0)
                labels += ',';
            labels += m_labelNames[i] + "=\"" + escapeLabel(values[i]) + '"';
        }
        renderChild(out, labels, child);
    });
}

template<typename F> F &Metrics::add(std::unique_ptr<F> family)
{
    F &added = *family;
    std::lock_guard lock(m_mutex);
    m_families.push_back(std::move(family));
    return added;
}

CounterFamily &Metrics::counters(const char *name, const char *help, MetricFamily::Labels labelNames)
{
    return add(std::make_unique<CounterFamily>(
        name, help, MetricFamily::Type::Counter, std::move(labelNames), [] { return new Counter; }));
}

GaugeFamily &Metrics::gauges(const char *name, const char *help, MetricFamily::Labels labelNames)
{
    return add(std::make_unique<GaugeFamily>(
        name, help, MetricFamily::Type::Gauge, std::move(labelNames), [] { return new Gauge; }));
}

HistogramFamily &Metrics::histograms(
    const char *name, const char *help, std::vector<double> bounds, MetricFamily::Labels labelNames)
{
    return add(std::make_unique<HistogramFamily>(name, help, MetricFamily::Type::Histogram,
        std::move(labelNames), [bounds = std::move(bounds)] { return new Histogram(bounds); }));
}

QByteArray Metrics::render() const
{
    QByteArray out;
    std::lock_guard lock(m_mutex);
    for (const auto &family : m_families)
        family->render(out);
    return out;
}

} // namespace chattermesh::server

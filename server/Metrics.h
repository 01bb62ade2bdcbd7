// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace chattermesh::server {

// A small thread-safe metrics registry rendered as Prometheus text exposition format 0.0.4.
// Values are atomics, so the network thread, the asset thread and the store writer update them
// without locks; a labelled family takes its mutex only to find (or create) one child, and a caller
// on a hot path keeps the child's reference, which stays valid as long as the registry.

class Counter {
public:
    void inc(quint64 n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    quint64 value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<quint64> m_value { 0 };
};

class Gauge {
public:
    void set(qint64 value) { m_value.store(value, std::memory_order_relaxed); }
    void add(qint64 delta) { m_value.fetch_add(delta, std::memory_order_relaxed); }
    qint64 value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<qint64> m_value { 0 };
};

// Fixed upper bounds chosen at creation; observations land in the first bucket whose bound they
// do not exceed, or in +Inf.
class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);

    void observe(double value);

    struct Snapshot {
        std::vector<quint64> cumulative; // one per bound, then +Inf (which equals count)
        quint64 count = 0;
        double sum = 0;
    };
    Snapshot snapshot() const;
    const std::vector<double> &bounds() const { return m_bounds; }

private:
    std::vector<double> m_bounds;
    std::unique_ptr<std::atomic<quint64>[]> m_buckets; // not cumulative; the last is +Inf
    std::atomic<double> m_sum { 0 };
};

namespace detail {
// One child's sample lines; labels is the rendered label list without braces (may be empty).
void renderSamples(QByteArray &out, const QByteArray &name, const QByteArray &labels, const Counter &metric);
void renderSamples(QByteArray &out, const QByteArray &name, const QByteArray &labels, const Gauge &metric);
void renderSamples(
    QByteArray &out, const QByteArray &name, const QByteArray &labels, const Histogram &metric);
} // namespace detail

// One metric name with its help text, type and label names; its children are the label values.
class MetricFamily {
public:
    enum class Type { Counter, Gauge, Histogram };
    using Labels = std::vector<QByteArray>;

    MetricFamily(QByteArray name, QByteArray help, Type type, Labels labelNames);
    virtual ~MetricFamily() = default;

    const QByteArray &name() const { return m_name; }
    void render(QByteArray &out) const;

protected:
    virtual void renderChild(QByteArray &out, const QByteArray &labels, const void *child) const = 0;
    // Calls visit for every child in label order, under the family's lock.
    virtual void forEachChild(const std::function<void(const Labels &, const void *)> &visit) const = 0;

    QByteArray m_name;
    QByteArray m_help;
    Type m_type;
    Labels m_labelNames;
};

template<typename Metric> class Family final : public MetricFamily {
public:
    Family(QByteArray name, QByteArray help, Type type, Labels labelNames, std::function<Metric *()> make)
        : MetricFamily(std::move(name), std::move(help), type, std::move(labelNames)), m_make(std::move(make))
    { }

    // The child for these label values (as many as the family has label names), created at 0.
    Metric &with(const Labels &values)
    {
        std::lock_guard lock(m_mutex);
        auto &slot = m_children[values];
        if (!slot)
            slot.reset(m_make());
        return *slot;
    }

protected:
    void renderChild(QByteArray &out, const QByteArray &labels, const void *child) const override
    {
        detail::renderSamples(out, m_name, labels, *static_cast<const Metric *>(child));
    }
    void forEachChild(const std::function<void(const Labels &, const void *)> &visit) const override
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[values, child] : m_children)
            visit(values, child.get());
    }

private:
    std::function<Metric *()> m_make;
    mutable std::mutex m_mutex;
    std::map<Labels, std::unique_ptr<Metric>> m_children;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Metrics {
public:
    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Names follow Prometheus rules; counters end in _total. Families render in creation order.
    CounterFamily &counters(const char *name, const char *help, MetricFamily::Labels labelNames);
    GaugeFamily &gauges(const char *name, const char *help, MetricFamily::Labels labelNames);
    HistogramFamily &histograms(
        const char *name, const char *help, std::vector<double> bounds, MetricFamily::Labels labelNames);

    // Unlabelled metrics: a family with one child, shown from the start.
    Counter &counter(const char *name, const char *help) { return counters(name, help, {}).with({}); }
    Gauge &gauge(const char *name, const char *help) { return gauges(name, help, {}).with({}); }
    Histogram &histogram(const char *name, const char *help, std::vector<double> bounds)
    {
        return histograms(name, help, std::move(bounds), {}).with({});
    }

    QByteArray render() const;

private:
    template<typename F> F &add(std::unique_ptr<F> family);

    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<MetricFamily>> m_families;
};

} // namespace chattermesh::server

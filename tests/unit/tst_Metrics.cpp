// SPDX-License-Identifier: GPL-3.0-or-later
// The metrics registry behind /metrics: exposition format 0.0.4 line by line (HELP/TYPE, label
// escaping, cumulative histogram buckets ending in +Inf), and counts that add up when several
// threads update at once.
#include "Metrics.h"

#include <QTest>
#include <QThread>
#include <memory>
#include <vector>

using chattermesh::server::Metrics;

class tst_Metrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rendersCountersAndGauges()
    {
        Metrics metrics;
        metrics.counter("demo_events_total", "Events.").inc(3);
        auto &byKind = metrics.counters("demo_kinds_total", "By kind.", { "kind" });
        byKind.with({ "b" }).inc();
        byKind.with({ "a\"q\\\n" }).inc(2);
        metrics.gauge("demo_depth", "Depth\nwith newline.").set(-4);
        const QByteArray expected = "# HELP demo_events_total Events.\n"
                                    "# TYPE demo_events_total counter\n"
                                    "demo_events_total 3\n"
                                    "# HELP demo_kinds_total By kind.\n"
                                    "# TYPE demo_kinds_total counter\n"
                                    "demo_kinds_total{kind=\"a\\\"q\\\\\\n\"} 2\n"
                                    "demo_kinds_total{kind=\"b\"} 1\n"
                                    "# HELP demo_depth Depth\\nwith newline.\n"
                                    "# TYPE demo_depth gauge\n"
                                    "demo_depth -4\n";
        QCOMPARE(metrics.render(), expected);
    }

    void rendersHistograms()
    {
        Metrics metrics;
        auto &latency = metrics.histograms("demo_ms", "Latency.", { 1, 10, 2.5 }, { "route" });
        auto &a = latency.with({ "a" });
        for (double v : { 0.5, 1.0, 2.0, 7.0, 11.0, 1000.0 })
            a.observe(v);
        const QByteArray expected = "# HELP demo_ms Latency.\n"
                                    "# TYPE demo_ms histogram\n"
                                    "demo_ms_bucket{route=\"a\",le=\"1\"} 2\n"
                                    "demo_ms_bucket{route=\"a\",le=\"2.5\"} 3\n"
                                    "demo_ms_bucket{route=\"a\",le=\"10\"} 4\n"
                                    "demo_ms_bucket{route=\"a\",le=\"+Inf\"} 6\n"
                                    "demo_ms_sum{route=\"a\"} 1021.5\n"
                                    "demo_ms_count{route=\"a\"} 6\n";
        QCOMPARE(metrics.render(), expected);
    }

    void threadsAddUp()
    {
        Metrics metrics;
        auto &counter = metrics.counter("demo_total", "Demo.");
        auto &family = metrics.counters("demo_labelled_total", "Demo.", { "t" });
        auto &histogram = metrics.histogram("demo_h", "Demo.", { 1, 2 });
        constexpr int kThreads = 4;
        constexpr int kEach = 20000;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back(QThread::create([&, t] {
                for (int i = 0; i < kEach; ++i) {
                    counter.inc();
                    family.with({ QByteArray::number(i % 3) }).inc();
                    histogram.observe(double(t % 3));
                    if (i % 5000 == 0)
                        metrics.render(); // scraping while others write
                }
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(60000));
        QCOMPARE(counter.value(), quint64(kThreads * kEach));
        quint64 labelled = 0;
        for (int k = 0; k < 3; ++k)
            labelled += family.with({ QByteArray::number(k) }).value();
        QCOMPARE(labelled, quint64(kThreads * kEach));
        const auto snapshot = histogram.snapshot();
        QCOMPARE(snapshot.count, quint64(kThreads * kEach));
        QCOMPARE(snapshot.cumulative.back(), snapshot.count);
        QCOMPARE(snapshot.sum, double(kEach) * (0 + 1 + 2 + 0));
    }
};

QTEST_GUILESS_MAIN(tst_Metrics)
#include "tst_Metrics.moc"

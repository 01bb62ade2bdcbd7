// SPDX-License-Identifier: GPL-3.0-or-later
// --faults: the spec's parser and its typed errors, the seeded decisions (same seed, same faults),
// and how one connection's frames go through them (FaultyLink), without a network.
#include "CommandLine.h"
#include "FaultInjector.h"
#include "FaultyLink.h"

#include <QTest>

using namespace chattermesh::server;
using namespace Qt::StringLiterals;

namespace {

using Code = FaultSpec::ErrorCode;
using Direction = FaultInjector::Direction;

struct Wire {
    QList<QByteArray> in;
    QList<QByteArray> out;
    int cuts = 0;
};

std::unique_ptr<FaultyLink> link(FaultInjector &injector, Wire &wire)
{
    FaultyLink::Ends ends;
    ends.inbound = [&wire](const QByteArray &b) { wire.in.append(b); };
    ends.outbound = [&wire](const QByteArray &b) { wire.out.append(b); };
    ends.cut = [&wire] { ++wire.cuts; };
    return std::make_unique<FaultyLink>(injector, nullptr, 1, std::move(ends));
}

FaultSpec spec(const QString &text)
{
    auto parsed = FaultSpec::parse(text);
    if (!parsed.ok())
        qFatal("bad spec in test: %s", qPrintable(parsed.error().message));
    return parsed.value();
}

const QList<QByteArray> kFrames { "a", "b", "c", "d" };

} // namespace

class tst_FaultInjector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesTheIssueExample()
    {
        const auto parsed
            = FaultSpec::parse(u"drop=0.01,dup=0.01,delay=5-50ms,reorder=0.01,disconnect=0.001"_s);
        QVERIFY(parsed.ok());
        const FaultSpec &s = parsed.value();
        QCOMPARE(s.drop, 0.01);
        QCOMPARE(s.duplicate, 0.01);
        QCOMPARE(s.reorder, 0.01);
        QCOMPARE(s.disconnect, 0.001);
        QCOMPARE(s.delayMinMs, 5);
        QCOMPARE(s.delayMaxMs, 50);
        QVERIFY(s.enabled());
        QCOMPARE(s.toString(), u"drop=0.01,dup=0.01,delay=5-50ms,reorder=0.01,disconnect=0.001"_s);
        QCOMPARE(FaultSpec::parse(s.toString()).value().toString(), s.toString());
    }

    void parsesSubsetsAndOff()
    {
        QVERIFY(!FaultSpec::parse(QString()).value().enabled());
        QVERIFY(!FaultSpec::parse(u"off"_s).value().enabled());
        QVERIFY(!FaultSpec::parse(u"drop=0"_s).value().enabled());
        const FaultSpec d = FaultSpec::parse(u" delay = 7ms "_s).value();
        QCOMPARE(d.delayMinMs, 7);
        QCOMPARE(d.delayMaxMs, 7);
        QCOMPARE(d.toString(), u"delay=7ms"_s);
        QCOMPARE(FaultSpec::parse(u"disconnect=1"_s).value().disconnect, 1.0);
    }

    void refusesBadSpecsByName_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<Code>("code");
        QTest::addColumn<QString>("named"); // the message must name what is wrong
        QTest::newRow("unknown key") << u"drop=0.1,jitter=3"_s << Code::UnknownKey << u"jitter"_s;
        QTest::newRow("not key=value") << u"drop"_s << Code::Malformed << u"drop"_s;
        QTest::newRow("empty key") << u"=0.1"_s << Code::Malformed << u"=0.1"_s;
        QTest::newRow("above 1") << u"dup=1.5"_s << Code::BadValue << u"dup=1.5"_s;
        QTest::newRow("negative") << u"reorder=-0.1"_s << Code::BadValue << u"reorder=-0.1"_s;
        QTest::newRow("not a number") << u"drop=lots"_s << Code::BadValue << u"drop=lots"_s;
        QTest::newRow("nan") << u"drop=nan"_s << Code::BadValue << u"drop=nan"_s;
        QTest::newRow("delay unit") << u"delay=5-50s"_s << Code::BadValue << u"delay=5-50s"_s;
        QTest::newRow("delay backwards") << u"delay=50-5ms"_s << Code::BadValue << u"delay=50-5ms"_s;
        QTest::newRow("delay too long") << u"delay=99999ms"_s << Code::BadValue << u"delay=99999ms"_s;
        QTest::newRow("repeated") << u"drop=0.1,drop=0.2"_s << Code::Repeated << u"drop"_s;
    }
    void refusesBadSpecsByName()
    {
        QFETCH(QString, text);
        QFETCH(Code, code);
        QFETCH(QString, named);
        const auto parsed = FaultSpec::parse(text);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, code);
        QVERIFY2(parsed.error().message.contains(named), qPrintable(parsed.error().message));
    }

    void flagsAndConfigKeysComeFromTheOptionsTable()
    {
        const auto ok
            = CommandLine::parse({ u"chattermesh-server"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s,
                u"/tmp/x"_s, u"--faults"_s, u"drop=0.2,delay=1-2ms"_s, u"--faults-seed"_s, u"42"_s });
        QVERIFY2(ok.action() == CommandLine::Action::Run, qPrintable(ok.text()));
        QCOMPARE(ok.config().faults.drop, 0.2);
        QCOMPARE(ok.config().faults.delayMaxMs, 2);
        QCOMPARE(ok.config().faultsSeed, quint64(42));
        const auto off = CommandLine::parse(
            { u"chattermesh-server"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, u"/tmp/x"_s });
        QCOMPARE(off.action(), CommandLine::Action::Run);
        QVERIFY(!off.config().faults.enabled());
        const auto bad = CommandLine::parse({ u"chattermesh-server"_s, u"--listen"_s, u"127.0.0.1:0"_s,
            u"--data-dir"_s, u"/tmp/x"_s, u"--faults"_s, u"drop=2"_s });
        QCOMPARE(bad.action(), CommandLine::Action::Fail);
        QVERIFY2(
            bad.text().contains(u"faults"_s) && bad.text().contains(u"drop=2"_s), qPrintable(bad.text()));
    }

    void sameSeedSameDecisions()
    {
        const FaultSpec s = spec(u"drop=0.1,dup=0.1,delay=5-50ms,reorder=0.1,disconnect=0.01"_s);
        FaultInjector a(s, 1234), b(s, 1234), c(s, 1235);
        bool differs = false;
        for (int i = 0; i < 2000; ++i) {
            const Direction dir = i % 3 ? Direction::Outbound : Direction::Inbound;
            const auto da = a.decide(dir);
            QVERIFY(da == b.decide(dir));
            differs = differs || !(da == c.decide(dir));
        }
        QVERIFY(differs);
    }

    void ratesAndRangesFollowTheSpec()
    {
        // Fixed seed: these counts are the same on every run.
        FaultInjector injector(spec(u"drop=0.1,dup=0.05,delay=5-50ms,reorder=0.2,disconnect=0.01"_s), 7);
        const int n = 100000;
        int drops = 0, dups = 0, reorders = 0, cuts = 0, minDelay = 1000, maxDelay = 0;
        for (int i = 0; i < n; ++i) {
            const auto d = injector.decide(Direction::Outbound);
            QVERIFY(int(d.drop) + int(d.duplicate) + int(d.reorder) + int(d.disconnect) <= 1);
            drops += d.drop;
            dups += d.duplicate;
            reorders += d.reorder;
            cuts += d.disconnect;
            if (d.drop || d.disconnect) {
                QCOMPARE(d.delayMs, 0);
                continue;
            }
            minDelay = std::min(minDelay, d.delayMs);
            maxDelay = std::max(maxDelay, d.delayMs);
        }
        const auto near = [n](int count, double p) { return std::abs(count - p * n) < 0.1 * p * n; };
        QVERIFY2(near(drops, 0.1), qPrintable(QString::number(drops)));
        QVERIFY2(near(dups, 0.05), qPrintable(QString::number(dups)));
        QVERIFY2(near(reorders, 0.2), qPrintable(QString::number(reorders)));
        QVERIFY2(near(cuts, 0.01), qPrintable(QString::number(cuts)));
        QCOMPARE(minDelay, 5);
        QCOMPARE(maxDelay, 50);
    }

    void linkDropsEverything()
    {
        FaultInjector injector(spec(u"drop=1"_s), 1);
        Wire wire;
        auto l = link(injector, wire);
        for (const QByteArray &f : kFrames) {
            l->inbound(f);
            l->outbound(f);
        }
        QVERIFY(wire.in.isEmpty());
        QVERIFY(wire.out.isEmpty());
        QCOMPARE(wire.cuts, 0);
    }

    void linkDuplicatesInPlace()
    {
        FaultInjector injector(spec(u"dup=1"_s), 1);
        Wire wire;
        auto l = link(injector, wire);
        for (const QByteArray &f : kFrames)
            l->outbound(f);
        QCOMPARE(wire.out, (QList<QByteArray> { "a", "a", "b", "b", "c", "c", "d", "d" }));
    }

    void linkReordersPairs()
    {
        FaultInjector injector(spec(u"reorder=1"_s), 1);
        Wire wire;
        auto l = link(injector, wire);
        for (const QByteArray &f : kFrames)
            l->inbound(f);
        // Each held frame goes right after the next one: a b c d -> b a d c.
        QCOMPARE(wire.in, (QList<QByteArray> { "b", "a", "d", "c" }));
        QVERIFY(wire.out.isEmpty());
        // A held frame with nothing behind it is not lost: it goes alone after a short while.
        l->outbound("last");
        QVERIFY(wire.out.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(wire.out, QList<QByteArray> { "last" }, 10000);
    }

    void linkDisconnectCutsOnceAndCarriesNothingMore()
    {
        FaultInjector injector(spec(u"disconnect=1"_s), 1);
        Wire wire;
        auto l = link(injector, wire);
        for (const QByteArray &f : kFrames) {
            l->inbound(f);
            l->outbound(f);
        }
        QCOMPARE(wire.cuts, 1);
        QVERIFY(wire.in.isEmpty());
        QVERIFY(wire.out.isEmpty());
    }

    void linkDelaysButKeepsOrder()
    {
        FaultInjector injector(spec(u"delay=1-30ms"_s), 3);
        Wire wire;
        auto l = link(injector, wire);
        QList<QByteArray> sent;
        for (int i = 0; i < 50; ++i) {
            sent.append(QByteArray::number(i));
            l->outbound(sent.last());
        }
        QVERIFY(wire.out.size() < sent.size()); // the first frame already waits
        QTRY_COMPARE_WITH_TIMEOUT(wire.out, sent, 20000);
    }
};

QTEST_GUILESS_MAIN(tst_FaultInjector)
#include "tst_FaultInjector.moc"

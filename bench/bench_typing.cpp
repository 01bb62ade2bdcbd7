// SPDX-License-Identifier: GPL-3.0-or-later
// Typing and presence load against 1:1 latency. U light clients in groups go live; one extra pair
// (in no group) measures 1:1 send→delivered at a steady rate, first with the U online but quiet,
// then while every one of them types in its group (a refresh every 3 s, staggered, now and then a
// stop) and some disconnect and resume every second. Target: loaded p99 ≤ 2 × idle p99, no loss.
// The U clients run on their own thread so the pair's latency is not queued behind their sockets
// in one event loop; CPU per process (and for that thread) is reported to show who was busy.
#include "BenchReport.h"
#include "BenchWait.h"
#include "LoadClient.h"
#include "ProcStat.h"
#include "SpawnedServer.h"
#include "TypingFleet.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QTextStream>
#include <QThread>
#include <cstring>
#include <functional>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace chattermesh;
using namespace chattermesh::bench;

namespace {

struct Cpu {
    double bench = 0, fleet = 0, server = 0, wall = 0;
};

struct Phase {
    Percentiles latency;
    qint64 sent = 0, delivered = 0;
    qint64 typingSent = 0, typingPushes = 0, presencePushes = 0, reconnects = 0;
    Cpu cpu; // seconds of CPU per second of wall time, i.e. cores in use
};

QJsonObject toJson(const Phase &p)
{
    return { { u"send_to_delivered_ms"_s, bench::toJson(p.latency) }, { u"sent"_s, double(p.sent) },
        { u"delivered"_s, double(p.delivered) }, { u"lost"_s, double(p.sent - p.delivered) },
        { u"typing_sent_per_s"_s, double(p.typingSent) / p.cpu.wall },
        { u"typing_pushes_per_s"_s, double(p.typingPushes) / p.cpu.wall },
        { u"presence_pushes_per_s"_s, double(p.presencePushes) / p.cpu.wall },
        { u"reconnects_per_s"_s, double(p.reconnects) / p.cpu.wall },
        { u"cpu_cores"_s,
            QJsonObject { { u"bench"_s, p.cpu.bench }, { u"bench_fleet_thread"_s, p.cpu.fleet },
                { u"server"_s, p.cpu.server } } } };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption usersO(u"users"_s, u"Online users that type (in groups)."_s, u"n"_s, u"1000"_s);
    QCommandLineOption groupSizeO(
        u"group-size"_s, u"Members per group; 0 = all users in one group."_s, u"n"_s, u"0"_s);
    QCommandLineOption rateO(u"rate"_s, u"1:1 messages per second during each phase."_s, u"r"_s, u"200"_s);
    QCommandLineOption secondsO(u"seconds"_s, u"Length of each measured phase."_s, u"s"_s, u"10"_s);
    QCommandLineOption churnO(
        u"churn"_s, u"Users disconnecting and resuming per second under load."_s, u"n"_s, u"5"_s);
    QCommandLineOption maxTypistsO(u"max-typists"_s,
        u"Passed to the server as --typing-max-typists (0: no bound); default: the server's default."_s,
        u"k"_s);
    QCommandLineOption niceO(u"fleet-nice"_s,
        u"Nice value of the thread running the U clients (0: same priority as everything else)."_s, u"n"_s,
        u"0"_s);
    QCommandLineOption smokeO(u"smoke"_s, u"CI smoke run: fail only on loss or failure to connect."_s);
    p.addOptions({ usersO, groupSizeO, rateO, secondsO, churnO, maxTypistsO, niceO, smokeO });
    p.process(app);
    const int users = p.value(usersO).toInt();
    const int groupSize = p.value(groupSizeO).toInt() > 0 ? p.value(groupSizeO).toInt() : users;
    const double rate = p.value(rateO).toDouble();
    const double seconds = p.value(secondsO).toDouble();
    const bool smoke = p.isSet(smokeO);
    QTextStream out(stdout);

    // Registration is not what is measured (low KDF); light clients send no Ping, so the heartbeat
    // cut (3 × period) is set beyond the run's length.
    QStringList serverArgs { u"--kdf-iterations"_s, u"1000"_s, u"--heartbeat-seconds"_s, u"120"_s };
    if (p.isSet(maxTypistsO))
        serverArgs << u"--typing-max-typists"_s << p.value(maxTypistsO);
    SpawnedServer spawned(serverArgs);
    if (!spawned.start()) {
        out << "server did not start" << Qt::endl;
        return 1;
    }
    out << "server " << spawned.url().toString() << " " << serverArgs.join(u' ') << "; " << users
        << " users in groups of " << groupSize << "; 1:1 at " << rate << " msgs/s for " << seconds
        << " s per phase; churn " << p.value(churnO) << "/s under load; fleet thread nice " << p.value(niceO)
        << Qt::endl;

    const QString nonce = QString::number(QRandomGenerator::global()->bounded(1'000'000));
    QString failure;
    auto fail = [&](const QString &why) {
        if (failure.isEmpty())
            failure = why;
    };
    // Blocks in the event loop between events (the timed processEvents overload would busy-wait and
    // take a core from the server).
    auto spin = [&](const std::function<bool()> &done, int timeoutMs) {
        spinUntil([&] { return done() || !failure.isEmpty(); }, timeoutMs);
        return done();
    };

    QThread fleetThread;
    fleetThread.setObjectName(u"fleet"_s);
    auto *fleet = new TypingFleet({ spawned.url(), users, groupSize, p.value(churnO).toDouble(), 3000, 0.1,
        nonce, p.value(niceO).toInt() });
    fleet->moveToThread(&fleetThread);
    int groups = -1;
    QObject::connect(fleet, &TypingFleet::ready, &app, [&](int n) { groups = n; });
    QObject::connect(fleet, &TypingFleet::failed, &app, fail);
    fleetThread.start();
    QElapsedTimer setup;
    setup.start();
    QMetaObject::invokeMethod(fleet, &TypingFleet::start);

    // The measuring pair, on this thread.
    LoadClient sender(spawned.url(), u"ps%1"_s.arg(nonce)), receiver(spawned.url(), u"pr%1"_s.arg(nonce));
    int pairLive = 0;
    for (LoadClient *c : { &sender, &receiver }) {
        QObject::connect(c, &LoadClient::live, &app, [&] { ++pairLive; });
        QObject::connect(c, &LoadClient::failed, &app, fail);
        c->start();
    }
    QElapsedTimer clock;
    clock.start();
    QList<double> *latencies = nullptr; // the phase being recorded; null during warm-up
    qint64 deliveredInPhase = 0;
    QObject::connect(&receiver, &LoadClient::delivered, &app, [&](const proto::Message &m) {
        qint64 stamp = 0;
        if (m.payload().size() >= sizeof stamp)
            std::memcpy(&stamp, m.payload().data(), sizeof stamp);
        ++deliveredInPhase;
        if (latencies)
            *latencies << double(clock.nsecsElapsed() - stamp) / 1e6;
    });
    const bool setUp = spin([&] { return pairLive == 2 && groups >= 0; }, 300000);
    if (!setUp) {
        out << "setup failed: " << (failure.isEmpty() ? u"timeout"_s : failure) << Qt::endl;
        QMetaObject::invokeMethod(
            fleet, [fleet] { delete fleet; }, Qt::BlockingQueuedConnection);
        fleetThread.quit();
        fleetThread.wait();
        return 1;
    }
    out << "setup: " << users << " users live in " << groups << " groups in " << setup.elapsed() / 1000.0
        << " s" << Qt::endl;

    quint64 nextId = 0;
    // Sends at `rate` for `secs` (a precise 1 ms tick sends what is due), then waits for every
    // message to arrive (bounded). Returns sent and delivered counts.
    auto pairRun = [&](double secs, QList<double> *record) {
        latencies = record;
        deliveredInPhase = 0;
        qint64 sent = 0;
        const qint64 startNs = clock.nsecsElapsed();
        const qint64 endNs = startNs + qint64(secs * 1e9);
        QTimer pacer;
        pacer.setTimerType(Qt::PreciseTimer);
        pacer.setInterval(1);
        QObject::connect(&pacer, &QTimer::timeout, &app, [&] {
            const qint64 now = clock.nsecsElapsed();
            const qint64 due = qint64(double(std::min(now, endNs) - startNs) / 1e9 * rate);
            while (sent < due) {
                QByteArray id(16, '\0'), payload(64, 'x');
                const quint64 n = ++nextId;
                std::memcpy(id.data(), &n, sizeof n);
                const qint64 stamp = clock.nsecsElapsed();
                std::memcpy(payload.data(), &stamp, sizeof stamp);
                sender.send(receiver.username(), id, payload);
                ++sent;
            }
        });
        pacer.start();
        spin([&] { return clock.nsecsElapsed() >= endNs; }, int(secs * 1000) + 1000);
        pacer.stop();
        spin([&] { return deliveredInPhase >= sent; }, 20000);
        latencies = nullptr;
        return std::pair { sent, deliveredInPhase };
    };
    auto measure = [&](Phase &phase) {
        QList<double> ms;
        const qint64 tid = fleet->threadId.load();
        const double b0 = cpuSecondsOfProcess(getpid()), f0 = cpuSecondsOfThread(getpid(), tid),
                     s0 = cpuSecondsOfProcess(spawned.pid());
        const qint64 t0 = fleet->typingSent, tp0 = fleet->typingPushes, pp0 = fleet->presencePushes,
                     r0 = fleet->reconnects;
        QElapsedTimer wall;
        wall.start();
        std::tie(phase.sent, phase.delivered) = pairRun(seconds, &ms);
        phase.cpu.wall = double(wall.nsecsElapsed()) / 1e9;
        phase.cpu.bench = (cpuSecondsOfProcess(getpid()) - b0) / phase.cpu.wall;
        phase.cpu.fleet = (cpuSecondsOfThread(getpid(), tid) - f0) / phase.cpu.wall;
        phase.cpu.server = (cpuSecondsOfProcess(spawned.pid()) - s0) / phase.cpu.wall;
        phase.typingSent = fleet->typingSent - t0;
        phase.typingPushes = fleet->typingPushes - tp0;
        phase.presencePushes = fleet->presencePushes - pp0;
        phase.reconnects = fleet->reconnects - r0;
        phase.latency = percentiles(ms);
    };

    Phase idle, loaded;
    pairRun(smoke ? 0.2 : 1.0, nullptr); // warm-up: first sends open the server's paths
    measure(idle);
    QMetaObject::invokeMethod(fleet, &TypingFleet::startLoad);
    if (!smoke)
        spin([] { return false; }, 3000); // one full refresh interval, so the load is at its level
    measure(loaded);
    QMetaObject::invokeMethod(fleet, &TypingFleet::stopLoad);

    auto line = [&](const char *name, const Phase &ph) {
        out << name << ": 1:1 sent " << ph.sent << ", delivered " << ph.delivered << ", lost "
            << ph.sent - ph.delivered << "; send->delivered ms p50 " << ph.latency.p50 << " p95 "
            << ph.latency.p95 << " p99 " << ph.latency.p99 << " max " << ph.latency.max << Qt::endl;
        out << "  typing sent/s " << qRound(double(ph.typingSent) / ph.cpu.wall) << ", typing pushes/s "
            << qRound(double(ph.typingPushes) / ph.cpu.wall) << ", presence pushes/s "
            << qRound(double(ph.presencePushes) / ph.cpu.wall) << ", reconnects/s "
            << double(ph.reconnects) / ph.cpu.wall << Qt::endl;
        out << "  CPU cores in use: server " << ph.cpu.server << ", bench " << ph.cpu.bench
            << " (of which fleet thread " << ph.cpu.fleet << ")" << Qt::endl;
    };
    line("idle", idle);
    line("loaded", loaded);
    const double ratio = idle.latency.p99 > 0 ? loaded.latency.p99 / idle.latency.p99 : 0;
    out << "p99 loaded/idle " << ratio << (ratio <= 2.0 ? " (target <= 2: met)" : " (target <= 2: NOT met)")
        << Qt::endl;
    if (!failure.isEmpty())
        out << "failure: " << failure << Qt::endl;

    QMetaObject::invokeMethod(
        fleet, [fleet] { delete fleet; }, Qt::BlockingQueuedConnection);
    fleetThread.quit();
    fleetThread.wait();
    const qint64 lost = idle.sent - idle.delivered + loaded.sent - loaded.delivered;
    printReport(u"typing"_s,
        { { u"users"_s, users }, { u"group_size"_s, groupSize }, { u"groups"_s, groups }, { u"rate"_s, rate },
            { u"seconds"_s, seconds }, { u"churn_per_s"_s, p.value(churnO).toDouble() },
            { u"fleet_nice"_s, p.value(niceO).toInt() },
            { u"max_typists"_s, p.isSet(maxTypistsO) ? p.value(maxTypistsO) : u"server default"_s },
            { u"idle"_s, toJson(idle) }, { u"loaded"_s, toJson(loaded) }, { u"p99_ratio"_s, ratio } });
    return failure.isEmpty() && lost == 0 && idle.sent > 0 && loaded.sent > 0 ? 0 : 1;
}

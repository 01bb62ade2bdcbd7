// SPDX-License-Identifier: GPL-3.0-or-later
// Idle authenticated connections held by one chattermesh-server and its RSS per connection; then a
// reconnect storm: a share of them drop at once and resume their sessions with their tokens.
#include "BenchReport.h"
#include "BenchWait.h"
#include "ConnectionFleet.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTextStream>
#include <QThread>
#include <sys/resource.h>

using namespace chattermesh;
using namespace chattermesh::bench;

namespace {

// VmRSS of a process in KiB, or -1.
qint64 rssKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

// Raises this process's descriptor limit (soft and hard: the benchmark runs as root or within the
// hard limit) so it and the server it spawns, which inherits it, can hold the connections.
rlim_t raiseFileLimit(rlim_t wanted)
{
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur >= wanted)
        return limit.rlim_cur;
    rlimit raised { wanted, std::max(wanted, limit.rlim_max) };
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
        raised = { limit.rlim_max, limit.rlim_max }; // not privileged: as far as the hard limit goes
        setrlimit(RLIMIT_NOFILE, &raised);
    }
    getrlimit(RLIMIT_NOFILE, &limit);
    return limit.rlim_cur;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption connectionsO(QStringLiteral("connections"),
        QStringLiteral("Idle authenticated connections to hold."), QStringLiteral("n"),
        QStringLiteral("20000"));
    QCommandLineOption stormO(QStringLiteral("storm"),
        QStringLiteral("Clients that drop at once and resume with their tokens (0: no storm)."),
        QStringLiteral("n"), QStringLiteral("5000"));
    QCommandLineOption threadsO(QStringLiteral("network-threads"),
        QStringLiteral("The server's --network-threads (0: its default)."), QStringLiteral("n"),
        QStringLiteral("0"));
    QCommandLineOption fleetsO(QStringLiteral("client-threads"),
        QStringLiteral("Threads running the clients."), QStringLiteral("n"), QStringLiteral("4"));
    QCommandLineOption openingO(QStringLiteral("opening"),
        QStringLiteral("Handshakes in flight per client thread while connecting."), QStringLiteral("n"),
        QStringLiteral("64"));
    QCommandLineOption smokeO(QStringLiteral("smoke"), QStringLiteral("CI smoke run: fail only on errors."));
    p.addOptions({ connectionsO, stormO, threadsO, fleetsO, openingO, smokeO });
    p.process(app);
    const int connections = p.value(connectionsO).toInt();
    const int storm = std::min(p.value(stormO).toInt(), connections);
    const int networkThreads = p.value(threadsO).toInt();
    const int fleets = std::max(1, std::min(p.value(fleetsO).toInt(), connections));
    QTextStream out(stdout);

    // Per connection: one descriptor here and one in the server; the rest is headroom.
    const rlim_t files = raiseFileLimit(rlim_t(connections) + 4096);
    out << "descriptor limit " << files << " (bench and server)" << Qt::endl;

    QStringList serverArgs { QStringLiteral("--kdf-iterations"), QStringLiteral("1"),
        QStringLiteral("--max-connections"), QString::number(connections + 1000),
        // Light clients send no Ping: keep the idle timeout out of the way.
        QStringLiteral("--heartbeat-seconds"), QStringLiteral("3600") };
    if (networkThreads > 0)
        serverArgs << QStringLiteral("--network-threads") << QString::number(networkThreads);
    SpawnedServer server(serverArgs);
    if (!server.start()) {
        out << "server did not start" << Qt::endl;
        return 1;
    }
    QCoreApplication::processEvents();
    QThread::msleep(200); // let the fresh process finish its start-up allocations before the baseline
    const qint64 rssBefore = rssKiB(server.pid());
    out << "server " << server.url().toString() << ", RSS at start " << rssBefore << " KiB" << Qt::endl;

    const QString nonce = QString::number(QRandomGenerator::global()->bounded(1'000'000));
    std::vector<QThread *> threads;
    std::vector<ConnectionFleet *> fleet;
    QString failure;
    for (int i = 0; i < fleets; ++i) {
        const int share = connections / fleets + (i < connections % fleets ? 1 : 0);
        auto *thread = new QThread;
        auto *f = new ConnectionFleet(
            server.url(), QStringLiteral("c%1x%2n").arg(i).arg(nonce), share, p.value(openingO).toInt());
        f->moveToThread(thread);
        QObject::connect(f, &ConnectionFleet::failed, &app, [&](const QString &why) {
            if (failure.isEmpty())
                failure = why;
        });
        thread->start();
        threads.push_back(thread);
        fleet.push_back(f);
    }
    auto total = [&](auto member) {
        int sum = 0;
        for (ConnectionFleet *f : fleet)
            sum += (f->*member).load();
        return sum;
    };

    QElapsedTimer clock;
    clock.start();
    for (ConnectionFleet *f : fleet)
        QMetaObject::invokeMethod(f, &ConnectionFleet::connectAll);
    const bool allLive = spinUntil(
        [&] { return total(&ConnectionFleet::live) >= connections || !failure.isEmpty(); }, 600'000);
    const double connectS = double(clock.nsecsElapsed()) / 1e9;
    const int liveNow = total(&ConnectionFleet::live);
    spinUntil([] { return false; }, 1000); // let the last answers drain before measuring
    const qint64 rssAfter = rssKiB(server.pid());
    const double perConnection = liveNow > 0 ? double(rssAfter - rssBefore) * 1024.0 / liveNow : 0;
    out << liveNow << " of " << connections << " connections live in " << connectS << " s" << Qt::endl;
    out << "server RSS " << rssAfter << " KiB; per connection " << qRound(perConnection) << " bytes ("
        << QString::number(perConnection / 1024.0, 'f', 1) << " KiB)" << Qt::endl;
    out << "bench RSS " << rssKiB(QCoreApplication::applicationPid()) << " KiB" << Qt::endl;

    double stormS = -1;
    int stormBack = 0;
    if (allLive && storm > 0 && failure.isEmpty()) {
        // The storm: `storm` clients, spread over the client threads, drop at once; then all of
        // them reconnect at once and resume with their tokens, timed until every one is live again
        // (Welcome, Resume, Session, Sync, SyncBatch). They close on their own so the server sees
        // normal closes; what is measured is the return.
        std::vector<int> share(fleet.size(), 0);
        for (size_t i = 0; i < fleet.size(); ++i)
            share[i] = storm / int(fleet.size()) + (int(i) < storm % int(fleet.size()) ? 1 : 0);
        for (size_t i = 0; i < fleet.size(); ++i)
            QMetaObject::invokeMethod(fleet[i], [f = fleet[i], n = share[i]] { f->disconnectSome(n); });
        spinUntil([&] { return total(&ConnectionFleet::closed) >= storm || !failure.isEmpty(); }, 120'000);
        const int others = total(&ConnectionFleet::live);
        clock.restart();
        for (ConnectionFleet *f : fleet)
            QMetaObject::invokeMethod(f, [f] { f->reconnectDropped(); });
        spinUntil(
            [&] { return total(&ConnectionFleet::live) >= others + storm || !failure.isEmpty(); }, 120'000);
        stormS = double(clock.nsecsElapsed()) / 1e9;
        stormBack = total(&ConnectionFleet::live) - others;
        const int stormSize = storm;
        out << "reconnect storm: " << stormBack << " of " << stormSize << " resumed and live again in "
            << stormS << " s" << Qt::endl;
    }
    if (!failure.isEmpty())
        out << "failure: " << failure << " (" << total(&ConnectionFleet::failures) << " clients failed)"
            << Qt::endl;

    for (size_t i = 0; i < threads.size(); ++i) {
        QMetaObject::invokeMethod(
            fleet[i], [f = fleet[i]] { delete f; }, Qt::BlockingQueuedConnection);
        threads[i]->quit();
        threads[i]->wait();
        delete threads[i];
    }
    printReport(QStringLiteral("connections"),
        { { QStringLiteral("connections"), connections }, { QStringLiteral("live"), liveNow },
            { QStringLiteral("connect_seconds"), connectS },
            { QStringLiteral("rss_start_kib"), double(rssBefore) },
            { QStringLiteral("rss_live_kib"), double(rssAfter) },
            { QStringLiteral("rss_per_connection_bytes"), perConnection },
            { QStringLiteral("descriptor_limit"), double(files) }, { QStringLiteral("storm"), storm },
            { QStringLiteral("storm_back"), stormBack }, { QStringLiteral("storm_seconds"), stormS } });
    const bool clean = failure.isEmpty() && liveNow == connections && (storm == 0 || stormBack >= storm);
    return clean ? 0 : 1;
}

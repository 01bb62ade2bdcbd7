// SPDX-License-Identifier: GPL-3.0-or-later
// Idle authenticated connections held by one chattermesh-server and its RSS per connection; then a
// reconnect storm: a share of them drop at once and resume their sessions with their tokens.
#include "BenchReport.h"
#include "BenchWait.h"
#include "ConnectionFleet.h"
#include "FleetProcess.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

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

// Child mode: `clients` light clients on `threads` threads against url, reporting on stdout and
// taking "drop N" / "reconnect" on stdin (FleetProcess is the other end).
int runFleet(
    QCoreApplication &app, const QUrl &url, const QString &prefix, int clients, int threads, int opening)
{
    std::vector<QThread *> workers;
    std::vector<ConnectionFleet *> fleet;
    threads = std::max(1, std::min(threads, clients));
    for (int i = 0; i < threads; ++i) {
        const int share = clients / threads + (i < clients % threads ? 1 : 0);
        auto *thread = new QThread;
        auto *f = new ConnectionFleet(url, prefix + QStringLiteral("t%1n").arg(i), share, opening);
        f->moveToThread(thread);
        QObject::connect(f, &ConnectionFleet::failed, &app, [](const QString &why) {
            std::printf("failed %s\n", why.toUtf8().constData());
            std::fflush(stdout);
        });
        thread->start();
        workers.push_back(thread);
        fleet.push_back(f);
        QMetaObject::invokeMethod(f, &ConnectionFleet::connectAll);
    }
    auto total = [&](auto member) {
        int sum = 0;
        for (ConnectionFleet *f : fleet)
            sum += (f->*member).load();
        return sum;
    };
    int reportedLive = -1, reportedClosed = -1;
    QTimer report;
    QObject::connect(&report, &QTimer::timeout, &app, [&] {
        const int live = total(&ConnectionFleet::live), closed = total(&ConnectionFleet::closed);
        if (live != reportedLive)
            std::printf("live %d\n", reportedLive = live);
        if (closed != reportedClosed)
            std::printf("closed %d\n", reportedClosed = closed);
        std::fflush(stdout);
    });
    report.start(10);
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray buffer;
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char chunk[256];
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n <= 0)
            return QCoreApplication::quit();
        buffer.append(chunk, n);
        qsizetype end;
        while ((end = buffer.indexOf('\n')) >= 0) {
            const QByteArray line = buffer.left(end);
            buffer.remove(0, end + 1);
            if (line.startsWith("drop ")) {
                const int drop = line.mid(5).toInt();
                for (size_t i = 0; i < fleet.size(); ++i) {
                    const int share = drop / int(fleet.size()) + (int(i) < drop % int(fleet.size()) ? 1 : 0);
                    QMetaObject::invokeMethod(fleet[i], [f = fleet[i], share] { f->disconnectSome(share); });
                }
            } else if (line == "reconnect") {
                for (ConnectionFleet *f : fleet)
                    QMetaObject::invokeMethod(f, [f] { f->reconnectDropped(); });
            }
        }
    });
    const int code = QCoreApplication::exec();
    for (size_t i = 0; i < workers.size(); ++i) {
        QMetaObject::invokeMethod(
            fleet[i], [f = fleet[i]] { delete f; }, Qt::BlockingQueuedConnection);
        workers[i]->quit();
        workers[i]->wait();
        delete workers[i];
    }
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    // Thousands of client sockets per thread: Qt's poll() dispatcher, as the server uses.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption connectionsO(QStringLiteral("connections"),
        QStringLiteral("Idle authenticated connections to hold."), QStringLiteral("n"),
        QStringLiteral("19900"));
    QCommandLineOption stormO(QStringLiteral("storm"),
        QStringLiteral("Clients that drop at once and resume with their tokens (0: no storm)."),
        QStringLiteral("n"), QStringLiteral("5000"));
    QCommandLineOption threadsO(QStringLiteral("network-threads"),
        QStringLiteral("The server's --network-threads (0: its default)."), QStringLiteral("n"),
        QStringLiteral("0"));
    QCommandLineOption processesO(QStringLiteral("client-processes"),
        QStringLiteral("Processes running the clients (each holds its share of descriptors)."),
        QStringLiteral("n"), QStringLiteral("4"));
    QCommandLineOption fleetsO(QStringLiteral("client-threads"),
        QStringLiteral("Threads per client process."), QStringLiteral("n"), QStringLiteral("2"));
    QCommandLineOption openingO(QStringLiteral("opening"),
        QStringLiteral("Handshakes in flight per client thread while connecting."), QStringLiteral("n"),
        QStringLiteral("32"));
    QCommandLineOption smokeO(QStringLiteral("smoke"), QStringLiteral("CI smoke run: fail only on errors."));
    QCommandLineOption fleetUrlO(
        QStringLiteral("fleet-url"), QStringLiteral("(internal) run clients only."), QStringLiteral("url"));
    QCommandLineOption fleetPrefixO(
        QStringLiteral("fleet-prefix"), QStringLiteral("(internal) user name prefix."), QStringLiteral("p"));
    p.addOptions(
        { connectionsO, stormO, threadsO, processesO, fleetsO, openingO, smokeO, fleetUrlO, fleetPrefixO });
    p.process(app);
    const int connections = p.value(connectionsO).toInt();
    const int clientThreads = p.value(fleetsO).toInt();
    const int opening = p.value(openingO).toInt();
    if (p.isSet(fleetUrlO))
        return runFleet(
            app, QUrl(p.value(fleetUrlO)), p.value(fleetPrefixO), connections, clientThreads, opening);

    const int storm = std::min(p.value(stormO).toInt(), connections);
    const int networkThreads = p.value(threadsO).toInt();
    const int processes = std::max(1, std::min(p.value(processesO).toInt(), connections));
    QTextStream out(stdout);

    // The server needs one descriptor per connection plus its own few; the clients' are spread over
    // the client processes. Raising the hard limit needs CAP_SYS_RESOURCE; without it the server is
    // bounded by the hard limit it inherits.
    const rlim_t files = raiseFileLimit(rlim_t(connections) + 256);
    out << "descriptor limit " << files << " (bench, client processes and server)" << Qt::endl;

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
    QThread::msleep(200); // let the fresh process finish its start-up allocations before the baseline
    const qint64 rssBefore = rssKiB(server.pid());
    out << "server " << server.url().toString() << ", RSS at start " << rssBefore << " KiB; " << processes
        << " client processes x " << clientThreads << " threads" << Qt::endl;

    const QString nonce = QString::number(QRandomGenerator::global()->bounded(1'000'000));
    std::vector<std::unique_ptr<FleetProcess>> fleet;
    for (int i = 0; i < processes; ++i) {
        const int share = connections / processes + (i < connections % processes ? 1 : 0);
        fleet.push_back(std::make_unique<FleetProcess>(QCoreApplication::applicationFilePath(), server.url(),
            QStringLiteral("c%1x%2").arg(i).arg(nonce), share, clientThreads, opening));
        if (!fleet.back()->start()) {
            out << "client process did not start" << Qt::endl;
            return 1;
        }
    }
    QString failure;
    auto total = [&](int (FleetProcess::*member)() const) {
        int sum = 0;
        for (auto &f : fleet) {
            f->poll();
            sum += (*f.*member)();
            if (failure.isEmpty() && !f->failure().isEmpty())
                failure = f->failure();
        }
        return sum;
    };

    QElapsedTimer clock;
    clock.start();
    const bool allLive
        = spinUntil([&] { return total(&FleetProcess::live) >= connections || !failure.isEmpty(); }, 900'000);
    const double connectS = double(clock.nsecsElapsed()) / 1e9;
    const int liveNow = total(&FleetProcess::live);
    spinUntil([] { return false; }, 1000); // let the last answers drain before measuring
    const qint64 rssAfter = rssKiB(server.pid());
    const double perConnection = liveNow > 0 ? double(rssAfter - rssBefore) * 1024.0 / liveNow : 0;
    out << liveNow << " of " << connections << " connections live in " << connectS << " s" << Qt::endl;
    out << "server RSS " << rssAfter << " KiB; per connection " << qRound(perConnection) << " bytes ("
        << QString::number(perConnection / 1024.0, 'f', 1) << " KiB)" << Qt::endl;

    double stormS = -1;
    int stormBack = 0;
    if (allLive && storm > 0 && failure.isEmpty()) {
        // The storm: `storm` clients, spread over the client processes and threads, drop at once;
        // then all of them reconnect at once and resume with their tokens, timed until every one is
        // live again (Welcome, Resume, Session, Sync, SyncBatch). They close on their own so the
        // server sees normal closes; what is measured is the return.
        for (size_t i = 0; i < fleet.size(); ++i)
            fleet[i]->drop(storm / int(fleet.size()) + (int(i) < storm % int(fleet.size()) ? 1 : 0));
        spinUntil([&] { return total(&FleetProcess::closed) >= storm || !failure.isEmpty(); }, 120'000);
        spinUntil([&] { return total(&FleetProcess::live) <= connections - storm; }, 10'000);
        const int others = total(&FleetProcess::live);
        clock.restart();
        for (auto &f : fleet)
            f->reconnect();
        spinUntil(
            [&] { return total(&FleetProcess::live) >= others + storm || !failure.isEmpty(); }, 120'000);
        stormS = double(clock.nsecsElapsed()) / 1e9;
        stormBack = total(&FleetProcess::live) - others;
        out << "reconnect storm: " << stormBack << " of " << storm << " resumed and live again in " << stormS
            << " s" << Qt::endl;
    }
    if (!failure.isEmpty())
        out << "failure: " << failure << Qt::endl;
    fleet.clear();
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

// SPDX-License-Identifier: GPL-3.0-or-later
// The QML client, offscreen, on a real store and a real server:
//  1. prepare: a real engine catches up N messages from one peer into its SQLCipher store;
//  2. cold start (a fresh process of this binary): from process start to the first frame that
//     shows the conversation list, store unlocked and signed in again with the stored session;
//  3. open the conversation: from the click to the first frame showing its latest page;
//  4. scroll to the very first message: peak RSS, the longest the GUI thread was busy between two
//     turns of its event loop, and frame times.
#include "BenchReport.h"
#include "BenchWait.h"
#include "Engine.h"
#include "LoadClient.h"
#include "SessionController.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtQml/QQmlExtensionPlugin>
#include <algorithm>
#include <ctime>
#include <unistd.h>

Q_IMPORT_QML_PLUGIN(ChatterMeshPlugin)

using namespace chattermesh;
using namespace chattermesh::bench;

namespace {

const QString kPassphrase = QStringLiteral("bench passphrase");

// Milliseconds since this process started, from /proc (the kernel's start time, in clock ticks).
double msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray s = stat.readAll();
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    const double startTicks = fields.value(19).toDouble(); // field 22 of stat(5)
    const double up = uptime.readAll().split(' ').value(0).toDouble();
    return (up - startTicks / double(sysconf(_SC_CLK_TCK))) * 1000.0;
}

double peakRssMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.at(std::min<qsizetype>(v.size() - 1, qsizetype(double(v.size()) * p)));
}

// CLOCK_MONOTONIC in ms, the clock `perf record -k CLOCK_MONOTONIC` stamps its samples with, so
// that a traced stall can be matched with the samples taken during it.
double monotonicMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// This thread's time on a CPU and waiting, runnable, for one (ms; /proc/thread-self/schedstat),
// and its major page faults (/proc/thread-self/stat). Of a stall, the first is our work, the
// second the host being busy, and the rest the thread asleep: on a lock, or on the disk when a
// major fault had to read a page in.
struct CpuTimes {
    double running = 0;
    double waiting = 0;
    qint64 majorFaults = 0;
};
CpuTimes threadCpuTimes()
{
    QFile sched(QStringLiteral("/proc/thread-self/schedstat"));
    QFile stat(QStringLiteral("/proc/thread-self/stat"));
    if (!sched.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> times = sched.readAll().split(' ');
    const QByteArray s = stat.readAll();
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    return { times.value(0).toDouble() / 1e6, times.value(1).toDouble() / 1e6,
        fields.value(9).toLongLong() }; // field 12 of stat(5)
}

// The longest time the event loop did not get round to a 1 ms timer: work that blocked the GUI
// thread (layout, delegates, model updates, rendering on the offscreen platform's basic loop).
// With tracing on, each stall over 16 ms is printed with what the scroll loop was doing, because a
// figure without its cause sends the next person guessing.
class StallMeter : public QObject {
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const double now = monotonicMs();
            const double gap = now - m_last;
            const CpuTimes cpu = m_trace ? threadCpuTimes() : CpuTimes {};
            if (gap - 1.0 > m_max) {
                m_max = gap - 1.0;
                m_maxAt = m_since.elapsed();
            }
            if (gap - 1.0 > 16.0) {
                ++m_over16;
                if (m_trace)
                    printStall(m_last, now,
                        { cpu.running - m_cpu.running, cpu.waiting - m_cpu.waiting,
                            cpu.majorFaults - m_cpu.majorFaults });
            }
            m_last = now;
            m_cpu = cpu;
        });
    }
    void start(bool trace)
    {
        m_trace = trace;
        m_max = 0;
        m_over16 = 0;
        m_since.start();
        m_last = monotonicMs();
        m_cpu = trace ? threadCpuTimes() : CpuTimes {};
        m_timer.start(1);
    }
    double stop()
    {
        m_timer.stop();
        return m_max;
    }
    // The scroll loop says what it does next; `page` counts the pages loaded so far.
    void phase(const char *name, int page)
    {
        if (!m_trace)
            return;
        m_phases.append({ monotonicMs(), name, page });
        if (m_phases.size() > 64)
            m_phases.remove(0, 32);
    }

private:
    struct Phase {
        double at;
        const char *name;
        int page;
    };
    void printStall(double from, double to, CpuTimes cpu) const
    {
        QTextStream out(stdout);
        out << "stall " << qRound((to - from) * 10) / 10.0 << " ms (running "
            << qRound(cpu.running * 10) / 10.0 << ", waiting for a CPU " << qRound(cpu.waiting * 10) / 10.0
            << ", major faults " << cpu.majorFaults << "), monotonic " << qint64(from * 1000) << ".."
            << qint64(to * 1000) << " us:";
        for (qsizetype i = 0; i < m_phases.size(); ++i) {
            const double end = i + 1 < m_phases.size() ? m_phases.at(i + 1).at : to;
            if (end >= from && m_phases.at(i).at <= to)
                out << ' ' << m_phases.at(i).name << '#' << m_phases.at(i).page << '('
                    << qRound((std::min(end, to) - std::max(m_phases.at(i).at, from)) * 10) / 10.0 << " ms)";
        }
        out << Qt::endl;
    }

    QTimer m_timer;
    double m_last = 0;
    CpuTimes m_cpu; // at m_last
    QElapsedTimer m_since;
    bool m_trace = false;
    QList<Phase> m_phases;

public:
    double m_max = 0;
    qint64 m_maxAt = 0; // ms after start()
    int m_over16 = 0; // turns of the event loop that came more than 16 ms late
};

int prepare(const QUrl &server, const QString &store, const QString &user, const QString &peer, int total)
{
    QTextStream out(stdout);
    core::EngineOptions o;
    o.serverUrl = server;
    o.storePath = store;
    o.key = core::DbKey::passphrase(kPassphrase);
    o.acceptUnencrypted = true; // the light load client sends plaintext payloads
    {
        core::Engine me(o);
        if (!me.open().ok())
            return 1;
        me.registerAccount(user, QStringLiteral("bench password"));
        if (!spinUntil([&] { return me.status() == core::Engine::Status::Online; }, 30000))
            return 1;
    }
    LoadClient sender(server, peer);
    qint64 acked = 0, sent = 0;
    QObject::connect(&sender, &LoadClient::acked, &sender, [&] { ++acked; });
    sender.start();
    if (!spinUntil([&] { return sender.isLive(); }, 30000))
        return 1;
    while (sent < total) {
        while (sender.inFlight() < 256 && sent < total) {
            QByteArray id(16, '\0');
            ++sent;
            std::memcpy(id.data(), &sent, sizeof sent);
            sender.send(user, id, QByteArray("message ") + QByteArray::number(sent) + QByteArray(60, '.'));
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    }
    if (!spinUntil([&] { return acked == total; }, 120000))
        return 1;
    core::Engine me(o);
    qint64 stored = 0;
    QObject::connect(&me, &core::Engine::messageAdded, &me, [&] { ++stored; });
    if (!me.open().ok())
        return 1;
    if (!spinUntil([&] { return stored >= total; }, 600000))
        return 1;
    out << "prepared: " << stored << " messages from " << peer << " in the store" << Qt::endl;
    return 0;
}

int failed(int step)
{
    QTextStream(stderr) << "bench_ui: the measuring run failed at step " << step << Qt::endl;
    return 1;
}

int measure(const QUrl &server, const QString &store, const QString &peer, int total, bool trace)
{
    QTextStream out(stdout);
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    qml::SessionController::Config config;
    config.storePath = store;
    config.serverUrl = server.toString();
    qml::SessionController session(config);
    qml::SessionController::setInstance(&session);
    session.setLanguage(QStringLiteral("en"));
    session.unlock(kPassphrase); // what the keychain's raw key does on a real start
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.addImageProvider(QStringLiteral("chattermesh"), session.createImageProvider());
    engine.load(QUrl(QStringLiteral("qrc:/ChatterMesh/Main.qml")));
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window)
        return failed(1);
    QList<double> frames; // per frame: GUI-thread time from synchronizing to swapped
    QElapsedTimer frameClock;
    QObject::connect(
        window, &QQuickWindow::beforeSynchronizing, window, [&] { frameClock.start(); },
        Qt::DirectConnection);
    qint64 swapped = 0;
    QObject::connect(window, &QQuickWindow::frameSwapped, window, [&] {
        ++swapped;
        if (frameClock.isValid())
            frames.append(double(frameClock.nsecsElapsed()) / 1e6);
    });
    const auto nextFrame = [&] {
        const qint64 now = swapped;
        window->requestUpdate();
        return spinUntil([&] { return swapped > now; }, 10000);
    };

    // 2. Cold start: the list is in the model and a frame shows it.
    // The list pane exists only once signed in (the stored session, resumed over the socket).
    const auto listShown = [&] {
        auto *list = window->findChild<QQuickItem *>(QStringLiteral("conversationList"));
        return list && list->isVisible() && list->property("count").toInt() > 0;
    };
    if (!spinUntil(listShown, 30000) || !nextFrame())
        return failed(2);
    const double coldStartMs = msSinceProcessStart();
    out << "cold start to the first frame of the conversation list: " << coldStartMs << " ms" << Qt::endl;

    // 3. Open the conversation with its N messages.
    frames.clear();
    QElapsedTimer open;
    open.start();
    session.openConversation(peer, peer);
    if (!spinUntil([&] { return session.chat()->rowCount() > 0; }, 30000) || !nextFrame())
        return failed(3);
    const double openMs = double(open.nsecsElapsed()) / 1e6;
    out << "open a conversation of " << total << " messages, latest page shown: " << openMs << " ms"
        << Qt::endl;

    // 4. Scroll to the first message, a page at a time, as a user dragging to the top would.
    auto *list = window->findChild<QQuickItem *>(QStringLiteral("messageList"));
    if (!list || !list->property("atYEnd").toBool()) // opened on its latest message
        return failed(4);
    frames.clear();
    StallMeter stalls;
    int page = 0;
    if (trace) {
        // The model's page arrives inside "wait": mark it, and the frame's end of polishing.
        QObject::connect(session.chat(), &QAbstractItemModel::rowsAboutToBeInserted, &stalls,
            [&] { stalls.phase("insert", page); });
        QObject::connect(session.chat(), &QAbstractItemModel::rowsInserted, &stalls,
            [&] { stalls.phase("inserted", page); });
        QObject::connect(
            window, &QQuickWindow::afterAnimating, &stalls, [&] { stalls.phase("polished", page); },
            Qt::DirectConnection);
        QObject::connect(
            window, &QQuickWindow::frameSwapped, &stalls, [&] { stalls.phase("swapped", page); },
            Qt::DirectConnection);
    }
    stalls.start(trace);
    QElapsedTimer scroll;
    scroll.start();
    while (!session.chat()->atStart() || session.chat()->rowCount() < total) {
        const int before = session.chat()->rowCount();
        ++page;
        stalls.phase("top", page);
        QMetaObject::invokeMethod(list, "positionViewAtBeginning");
        session.chat()->loadOlder(); // what reaching the top asks for
        stalls.phase("wait", page);
        if (!spinUntil(
                [&] { return session.chat()->rowCount() > before || session.chat()->atStart(); }, 30000))
            return failed(5);
        stalls.phase("frame", page);
        nextFrame();
        if (scroll.elapsed() > 600000)
            return failed(6);
    }
    const double maxStall = stalls.stop();
    const double scrollSecs = double(scroll.nsecsElapsed()) / 1e9;
    const double rss = peakRssMiB();
    out << "scrolled through " << session.chat()->rowCount() << " messages in " << scrollSecs
        << " s; peak RSS " << rss << " MiB; longest GUI-thread stall " << maxStall << " ms ("
        << stalls.m_maxAt << " ms into the scroll; " << stalls.m_over16 << " stalls over 16 ms); frames "
        << frames.size() << ", p50 " << percentile(frames, 0.5) << " ms, p99 " << percentile(frames, 0.99)
        << " ms, max " << percentile(frames, 1.0) << " ms" << Qt::endl;
    printReport(QStringLiteral("bench_ui"),
        { { QStringLiteral("messages"), total }, { QStringLiteral("cold_start_ms"), coldStartMs },
            { QStringLiteral("open_ms"), openMs }, { QStringLiteral("scroll_s"), scrollSecs },
            { QStringLiteral("peak_rss_mib"), rss }, { QStringLiteral("max_gui_stall_ms"), maxStall },
            { QStringLiteral("gui_stalls_over_16ms"), stalls.m_over16 },
            { QStringLiteral("frame_p99_ms"), percentile(frames, 0.99) },
            { QStringLiteral("frame_max_ms"), percentile(frames, 1.0) } });
    return session.chat()->rowCount() == total ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption messagesO(QStringLiteral("messages"), QStringLiteral("Messages in the conversation."),
        QStringLiteral("n"), QStringLiteral("100000"));
    // Internal: the measuring run, in a fresh process so that its start is a cold start.
    QCommandLineOption measureO(
        QStringLiteral("measure"), QStringLiteral("internal"), QStringLiteral("json"));
    QCommandLineOption traceO(QStringLiteral("trace-stalls"),
        QStringLiteral(
            "Print each GUI stall over 16 ms with what the scroll was doing and its CLOCK_MONOTONIC "
            "times (to match `perf record -k CLOCK_MONOTONIC` samples)."));
    p.addOptions({ messagesO, measureO, traceO });
    p.process(app);
    const int total = p.value(messagesO).toInt();

    if (p.isSet(measureO)) {
        const QJsonObject a = QJsonDocument::fromJson(p.value(measureO).toUtf8()).object();
        return measure(QUrl(a.value(QStringLiteral("server")).toString()),
            a.value(QStringLiteral("store")).toString(), a.value(QStringLiteral("peer")).toString(), total,
            p.isSet(traceO));
    }

    SpawnedServer server({ QStringLiteral("--kdf-iterations"), QStringLiteral("1000") });
    if (!server.start())
        return 1;
    QTemporaryDir dir;
    const QString user = QStringLiteral("reader%1").arg(QRandomGenerator::global()->bounded(1'000'000));
    const QString peer = QStringLiteral("writer") + user;
    const QString store = dir.filePath(QStringLiteral("store.db"));
    if (prepare(server.url(), store, user, peer, total) != 0) {
        QTextStream(stdout) << "preparing the store failed" << Qt::endl;
        return 1;
    }
    const QJsonObject args { { QStringLiteral("server"), server.url().toString() },
        { QStringLiteral("store"), store }, { QStringLiteral("peer"), peer } };
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    QStringList childArgs { QStringLiteral("--messages"), QString::number(total), QStringLiteral("--measure"),
        QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact)) };
    if (p.isSet(traceO))
        childArgs << QStringLiteral("--trace-stalls");
    child.start(QCoreApplication::applicationFilePath(), childArgs);
    if (!child.waitForFinished(900000))
        return 1;
    return child.exitCode();
}

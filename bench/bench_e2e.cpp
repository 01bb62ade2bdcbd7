// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end encrypted delivery through real engines: every message is composed into a SQLCipher
// outbox, encrypted per device with libsignal, routed by the real server, decrypted and stored by
// the receiving engine. Each engine runs on its own thread, as in the app.
//
//   --mode pairs    N sender/receiver pairs: delivered msgs/s and compose→stored latency
//   --mode catchup  one receiver offline while M encrypted messages queue, then catches up
#include "BenchReport.h"
#include "BenchWait.h"
#include "Engine.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <memory>

using namespace chattermesh;
using namespace chattermesh::bench;

namespace {

QElapsedTimer g_clock;

// One engine on its own thread. Everything that touches the engine runs there through post().
class Party {
public:
    Party(const QString &name, const QString &storePath, const QUrl &server) : m_name(name)
    {
        m_options.serverUrl = server;
        m_options.storePath = storePath;
        m_options.key = core::DbKey::passphrase(QStringLiteral("bench"));
        m_options.minBackoffMs = 20;
        m_host.moveToThread(&m_thread);
        m_thread.start();
    }
    ~Party()
    {
        closeEngine();
        m_thread.quit();
        m_thread.wait();
    }
    QString name() const { return m_name; }
    core::Engine *engine() const { return m_engine; }

    template<typename F> void post(F &&f) { QMetaObject::invokeMethod(&m_host, std::forward<F>(f)); }
    template<typename F> void run(F &&f)
    {
        QMetaObject::invokeMethod(&m_host, std::forward<F>(f), Qt::BlockingQueuedConnection);
    }

    // Creates and opens the engine on its thread; `wire` connects signals before anything moves.
    bool openEngine(const std::function<void(core::Engine *)> &wire)
    {
        bool ok = false;
        run([&] {
            m_engine = new core::Engine(m_options);
            QObject::connect(m_engine, &core::Engine::statusChanged, &m_host,
                [this](core::Engine::Status s) { m_online = s == core::Engine::Status::Online; });
            wire(m_engine);
            ok = m_engine->open().ok();
        });
        return ok;
    }
    void closeEngine()
    {
        if (!m_engine)
            return;
        run([&] {
            delete m_engine;
            m_engine = nullptr;
        });
        m_online = false;
    }
    bool online() const { return m_online; }

private:
    QString m_name;
    core::EngineOptions m_options;
    QThread m_thread;
    QObject m_host;
    core::Engine *m_engine = nullptr;
    std::atomic_bool m_online = false;
};

// What one receiver stored and when, written by the sender's and the receiver's threads; the main
// thread only polls it, so the harness adds no cross-thread wake-ups per message.
class Tally {
public:
    void composed(const QByteArray &id, qint64 ns)
    {
        QMutexLocker lock(&m_mutex);
        m_composedNs.insert(id, ns);
    }
    void arrived(const QByteArray &id, qint64 ns)
    {
        QMutexLocker lock(&m_mutex);
        if (++m_seen[id] > 1) {
            ++m_duplicates;
            return;
        }
        m_stored.fetch_add(1);
        m_lastNs = ns;
        if (auto it = m_composedNs.constFind(id); it != m_composedNs.constEnd())
            m_latencyMs.append(double(ns - *it) / 1e6);
    }
    qint64 stored() const { return m_stored.load(); }
    qint64 duplicates() const
    {
        QMutexLocker lock(&m_mutex);
        return m_duplicates;
    }
    qint64 lastNs() const
    {
        QMutexLocker lock(&m_mutex);
        return m_lastNs;
    }
    QList<double> latencyMs() const
    {
        QMutexLocker lock(&m_mutex);
        return m_latencyMs;
    }
    void reset()
    {
        QMutexLocker lock(&m_mutex);
        m_composedNs.clear();
        m_seen.clear();
        m_latencyMs.clear();
        m_stored = 0;
        m_duplicates = 0;
        m_lastNs = 0;
    }

private:
    mutable QMutex m_mutex;
    QHash<QByteArray, qint64> m_composedNs;
    QHash<QByteArray, int> m_seen;
    QList<double> m_latencyMs;
    std::atomic<qint64> m_stored = 0;
    qint64 m_duplicates = 0;
    qint64 m_lastNs = 0;
};

void wireReceiver(core::Engine *e, Tally *tally)
{
    QObject::connect(e, &core::Engine::messageAdded, e, [tally](const core::StoredMessage &m) {
        if (!m.outgoing && m.kind == core::MessageKind::Text)
            tally->arrived(m.clientMsgId, g_clock.nsecsElapsed());
    });
    QObject::connect(
        e, &core::Engine::decryptFailed, e, [](const QByteArray &, crypto::CryptoError, const QString &msg) {
            QTextStream(stderr) << "decrypt failed: " << msg << Qt::endl;
        });
}

bool signUpAll(const QList<Party *> &parties, QTextStream &out)
{
    for (Party *p : parties)
        p->post([p] { p->engine()->registerAccount(p->name(), QStringLiteral("bench password")); });
    if (!spinUntil(
            [&] {
                for (Party *p : parties)
                    if (!p->online())
                        return false;
                return true;
            },
            60000)) {
        out << "not every engine came online" << Qt::endl;
        return false;
    }
    return true;
}

// On the sender's thread: composes `text` to `to` and records when.
void composeOne(Party *from, const QString &to, const QString &text, Tally *tally)
{
    auto r = from->engine()->sendText(to, text);
    if (r.ok())
        tally->composed(r.value().clientMsgId, g_clock.nsecsElapsed());
}

// Keeps up to `window` unstored messages in flight from `from`, on its own thread, until `total`.
// With `bursts`, everything composed in one turn goes through one Engine::sendTexts call (one
// transaction); otherwise one sendText (one transaction) per message.
void pump(Party *from, const QString &to, const QString &text, Tally *tally, int window, int total,
    bool bursts, std::shared_ptr<int> sent)
{
    QList<core::Engine::OutgoingText> burst;
    for (qint64 k = *sent - tally->stored(); k < window && *sent < total; ++k, ++*sent) {
        if (bursts)
            burst.append({ to, text });
        else
            composeOne(from, to, text, tally);
    }
    if (!burst.isEmpty()) {
        auto r = from->engine()->sendTexts(burst);
        const qint64 ns = g_clock.nsecsElapsed();
        if (r.ok())
            for (const auto &m : r.value())
                tally->composed(m.clientMsgId, ns);
    }
    if (*sent < total)
        QTimer::singleShot(
            1, from->engine(), [=] { pump(from, to, text, tally, window, total, bursts, sent); });
}

int runPairs(int pairs, int perPair, int window, bool bursts, const QUrl &server, QTextStream &out)
{
    QTemporaryDir dir;
    const QString tag = QString::number(QRandomGenerator::global()->bounded(1'000'000));
    std::vector<std::unique_ptr<Party>> senders, receivers;
    std::vector<Tally> tallies(static_cast<size_t>(pairs));
    QList<Party *> all;
    for (int i = 0; i < pairs; ++i) {
        senders.push_back(std::make_unique<Party>(
            QStringLiteral("a%1x%2").arg(i).arg(tag), dir.filePath(QStringLiteral("a%1.db").arg(i)), server));
        receivers.push_back(std::make_unique<Party>(
            QStringLiteral("b%1x%2").arg(i).arg(tag), dir.filePath(QStringLiteral("b%1.db").arg(i)), server));
        Tally *t = &tallies[size_t(i)];
        if (!senders.back()->openEngine([](core::Engine *) {})
            || !receivers.back()->openEngine([t](core::Engine *e) { wireReceiver(e, t); }))
            return 1;
        all << senders.back().get() << receivers.back().get();
    }
    if (!signUpAll(all, out))
        return 1;
    // Warm-up: a message and its reply per pair, so the session is confirmed both ways before the
    // clock starts (until a sender hears back, libsignal sends heavier prekey messages).
    std::vector<Tally> replies(static_cast<size_t>(pairs));
    for (int i = 0; i < pairs; ++i) {
        Party *from = senders[size_t(i)].get();
        from->post([from, to = receivers[size_t(i)]->name(), t = &tallies[size_t(i)]] {
            composeOne(from, to, QStringLiteral("hello"), t);
        });
    }
    auto allStored = [](const std::vector<Tally> &ts) {
        for (const Tally &t : ts)
            if (t.stored() < 1)
                return false;
        return true;
    };
    if (!spinUntil([&] { return allStored(tallies); }, 60000)) {
        out << "warm-up messages did not arrive" << Qt::endl;
        return 1;
    }
    for (int i = 0; i < pairs; ++i) {
        Party *from = senders[size_t(i)].get();
        Party *to = receivers[size_t(i)].get();
        Tally *t = &replies[size_t(i)];
        from->run([from, t] { wireReceiver(from->engine(), t); });
        to->post([to, peer = from->name(), t] { composeOne(to, peer, QStringLiteral("hi"), t); });
    }
    if (!spinUntil([&] { return allStored(replies); }, 60000)) {
        out << "warm-up replies did not arrive" << Qt::endl;
        return 1;
    }
    for (Tally &t : tallies)
        t.reset();

    const QString body = QString(100, QLatin1Char('m'));
    const qint64 startNs = g_clock.nsecsElapsed();
    for (int i = 0; i < pairs; ++i) {
        Party *from = senders[size_t(i)].get();
        from->post([=, to = receivers[size_t(i)]->name(), t = &tallies[size_t(i)]] {
            pump(from, to, body, t, window, perPair, bursts, std::make_shared<int>(0));
        });
    }
    const qint64 total = qint64(pairs) * perPair;
    const bool done = spinUntil(
        [&] {
            qint64 s = 0;
            for (const Tally &t : tallies)
                s += t.stored();
            return s >= total;
        },
        600000);

    qint64 stored = 0, dups = 0, endNs = startNs;
    QList<double> lat;
    for (const Tally &t : tallies) {
        stored += t.stored();
        dups += t.duplicates();
        endNs = std::max(endNs, t.lastNs());
        lat += t.latencyMs();
    }
    const double secs = double(endNs - startNs) / 1e9;
    const Percentiles p = percentiles(lat);
    out << pairs << " pairs, " << (bursts ? "composed in bursts, " : "composed one by one, ") << total
        << " encrypted messages: " << stored << " stored in " << secs
        << " s = " << qRound(double(stored) / secs) << " delivered msgs/s" << Qt::endl;
    out << "compose->stored ms p50 " << p.p50 << " p99 " << p.p99 << " max " << p.max << Qt::endl;
    out << "lost " << (total - stored) << " duplicated " << dups << Qt::endl;
    printReport(QStringLiteral("e2e_pairs"),
        { { QStringLiteral("pairs"), pairs }, { QStringLiteral("bursts"), bursts },
            { QStringLiteral("messages"), double(total) },
            { QStringLiteral("msgs_per_s"), double(stored) / secs },
            { QStringLiteral("compose_to_stored_ms"), toJson(p) },
            { QStringLiteral("lost"), double(total - stored) },
            { QStringLiteral("duplicated"), double(dups) } });
    // Engines close on their threads before the directory goes.
    senders.clear();
    receivers.clear();
    return done && dups == 0 ? 0 : 1;
}

int runCatchup(int total, const QUrl &server, QTextStream &out)
{
    QTemporaryDir dir;
    const QString tag = QString::number(QRandomGenerator::global()->bounded(1'000'000));
    Party alice(QStringLiteral("alice") + tag, dir.filePath(QStringLiteral("alice.db")), server);
    Party bob(QStringLiteral("bob") + tag, dir.filePath(QStringLiteral("bob.db")), server);
    Tally warm;
    qint64 aliceOutbox = -1;
    if (!alice.openEngine([](core::Engine *) {})
        || !bob.openEngine([&warm](core::Engine *e) { wireReceiver(e, &warm); }))
        return 1;
    if (!signUpAll({ &alice, &bob }, out))
        return 1;
    alice.post([&] { composeOne(&alice, bob.name(), QStringLiteral("hello"), &warm); });
    if (!spinUntil([&] { return warm.stored() == 1; }, 60000))
        return 1;
    bob.closeEngine();

    // Queue everything while bob is away; compose in chunks so alice's thread stays responsive.
    const QString body = QString(100, QLatin1Char('c'));
    for (int sent = 0; sent < total;) {
        const int chunk = std::min(500, total - sent);
        alice.post([&alice, &bob, body, chunk] {
            for (int k = 0; k < chunk; ++k)
                alice.engine()->sendText(bob.name(), body);
        });
        sent += chunk;
    }
    if (!spinUntil(
            [&] {
                alice.run([&] { aliceOutbox = alice.engine()->outboxSize(); });
                return aliceOutbox == 0;
            },
            600000)) {
        out << "alice's outbox did not drain" << Qt::endl;
        return 1;
    }
    out << total << " encrypted messages queued for " << bob.name() << Qt::endl;

    Tally tally;
    const qint64 startNs = g_clock.nsecsElapsed();
    if (!bob.openEngine([&tally](core::Engine *e) { wireReceiver(e, &tally); }))
        return 1;
    const bool done = spinUntil([&] { return tally.stored() >= total; }, 600000);
    const double secs = double(tally.lastNs() - startNs) / 1e9;
    qsizetype inStore = -1;
    bob.run([&] {
        auto h = bob.engine()->history(alice.name(), 0, total + 10);
        inStore = h.ok() ? h.value().size() : -1;
    });
    out << "caught up " << tally.stored() << " encrypted messages in " << secs << " s ("
        << qRound(double(tally.stored()) / secs) << " msgs/s), store holds " << inStore << Qt::endl;
    printReport(QStringLiteral("e2e_catchup"),
        { { QStringLiteral("messages"), total }, { QStringLiteral("stored"), double(inStore) },
            { QStringLiteral("seconds"), secs },
            { QStringLiteral("msgs_per_s"), double(tally.stored()) / secs } });
    // history() includes the warm-up message.
    return done && tally.duplicates() == 0 && inStore == total + 1 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    g_clock.start();
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption modeO(QStringLiteral("mode"), QStringLiteral("pairs or catchup."),
        QStringLiteral("mode"), QStringLiteral("pairs"));
    QCommandLineOption pairsO(QStringLiteral("pairs"), QStringLiteral("Sender/receiver pairs."),
        QStringLiteral("n"), QStringLiteral("4"));
    QCommandLineOption messagesO(QStringLiteral("messages"), QStringLiteral("Messages per pair (or queued)."),
        QStringLiteral("n"), QStringLiteral("5000"));
    QCommandLineOption windowO(QStringLiteral("window"), QStringLiteral("Unstored messages per pair."),
        QStringLiteral("n"), QStringLiteral("400"));
    QCommandLineOption burstsO(QStringLiteral("bursts"),
        QStringLiteral("Compose each turn's messages with one Engine::sendTexts call."));
    p.addOptions({ modeO, pairsO, messagesO, windowO, burstsO });
    p.process(app);
    QTextStream out(stdout);

    SpawnedServer server({ QStringLiteral("--kdf-iterations"), QStringLiteral("1000") });
    if (!server.start()) {
        out << "server did not start" << Qt::endl;
        return 1;
    }
    if (p.value(modeO) == QLatin1String("catchup"))
        return runCatchup(p.value(messagesO).toInt(), server.url(), out);
    return runPairs(p.value(pairsO).toInt(), p.value(messagesO).toInt(), p.value(windowO).toInt(),
        p.isSet(burstsO), server.url(), out);
}

// SPDX-License-Identifier: GPL-3.0-or-later
// The chaos soak (docs/operations.md, *Chaos soak*): four devices (two real engines in this
// process, two chattermesh-cli processes) send 1:1 and in one group through the real server run
// with --faults (every kind on), while the server and the client processes are SIGKILLed and
// restarted at random. Then the faults go, everyone catches up, and every device must hold every
// message of its conversations exactly once, in seq order, with the right sender and text.
//
// CHATTERMESH_CHAOS_SECONDS sets the length of the chaos phase (default 90); CHATTERMESH_CHAOS_SEED
// replays a run (the seed is printed first; it drives the test's choices and the server's faults).
#include "BlockingHttp.h"
#include "ChaosDevice.h"
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QMap>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTimer>
#include <random>

using namespace chattermesh;
using namespace chattermesh::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int kDefaultSeconds = 90;
constexpr int kSendEveryMs = 60;
constexpr qint64 kRequestTimeoutMs = 5000;
const QString kFaults = u"drop=0.01,dup=0.01,delay=0-20ms,reorder=0.01,disconnect=0.002"_s;
const QStringList kCommon { u"--heartbeat-seconds"_s, u"2"_s };

// 1:1 conversations form a ring (each device writes to the next and hears from the previous);
// everyone also writes to the group.
const QStringList kNames { u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s };

// chattermesh_faults_injected_total per kind, added up over the server's lives.
void addFaults(const ServerProcess &server, QMap<QString, qint64> &total)
{
    BlockingHttp http;
    const auto reply = http.request("GET", server.assetUrl(u"/metrics"_s), {}, {}, 5000);
    static const QRegularExpression line(
        QStringLiteral("^chattermesh_faults_injected_total\\{kind=\"(\\w+)\",direction=\"(\\w+)\"\\} (\\d+)"),
        QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(QString::fromUtf8(reply.body)); it.hasNext();) {
        const auto m = it.next();
        total[m.captured(1) + u'/' + m.captured(2)] += m.captured(3).toLongLong();
    }
}

} // namespace

class tst_Chaos : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyMessageOnceInOrderDespiteFaultsAndKills()
    {
        const quint64 seed = qEnvironmentVariableIsSet("CHATTERMESH_CHAOS_SEED")
            ? qEnvironmentVariable("CHATTERMESH_CHAOS_SEED").toULongLong()
            : QRandomGenerator::system()->bounded(1u << 30) + 1;
        const int seconds = qEnvironmentVariableIsSet("CHATTERMESH_CHAOS_SECONDS")
            ? qEnvironmentVariableIntValue("CHATTERMESH_CHAOS_SECONDS")
            : kDefaultSeconds;
        qInfo("chaos seed %llu (replay: CHATTERMESH_CHAOS_SEED=%llu), %d s of chaos", seed, seed, seconds);
        std::mt19937_64 random(seed);
        const auto chance = [&random](double p) { return double(random() >> 11) * 0x1.0p-53 < p; };

        // Accounts and the group are made on a quiet server: Register is not idempotent, and a
        // lost answer to it is the user's to retry (docs/protocol.md).
        ServerProcess server(kCommon);
        QVERIFY(server.start());
        const quint16 port = server.port();
        QTemporaryDir dir;
        std::vector<std::unique_ptr<ChaosDevice>> devices;
        for (int i = 0; i < kNames.size(); ++i) {
            devices.push_back(std::make_unique<ChaosDevice>(
                kNames[i], i >= 2, dir.path(), server.url(), kRequestTimeoutMs));
            QVERIFY2(devices.back()->signUp(), qPrintable(kNames[i]));
        }
        QVERIFY(devices[0]->client()->waitOnline());
        core::Engine *alice = devices[0]->client()->engine();
        QSignalSpy made(alice, &core::Engine::groupChanged);
        alice->createGroup(u"chaos"_s, { kNames[1], kNames[2], kNames[3] });
        QVERIFY(made.wait(20000));
        const QString group = u"#%1"_s.arg(made.first().at(1).toLongLong());
        for (auto &d : devices) // the processes learn the group before they write to it
            if (d->isProcess())
                QCOMPARE(d->runCli({ u"flush"_s }), 0);

        // Chaos on: the server with every fault, restarted with a seed derived from ours.
        int serverLives = 0;
        const auto faultArgs = [&] {
            return kCommon
                + QStringList { u"--faults"_s, kFaults, u"--faults-seed"_s,
                      QString::number(seed * 1000 + quint64(++serverLives)) };
        };
        QMap<QString, qint64> faults;
        server.kill();
        server.setExtraArgs(faultArgs());
        QVERIFY(server.start(server.dataDir(), port));
        QVERIFY(server.logs().contains("FAULT INJECTION ON"));
        for (auto &d : devices)
            QVERIFY(d->startScript());

        QMap<QString, int> counters;
        QTimer sender;
        sender.setInterval(kSendEveryMs);
        QObject::connect(&sender, &QTimer::timeout, &sender, [&] {
            for (int i = 0; i < int(devices.size()); ++i) {
                ChaosDevice &d = *devices[size_t(i)];
                d.poll();
                const QString target = chance(0.5) ? group : kNames[(i + 1) % kNames.size()];
                d.send(target, u"%1 %2"_s.arg(d.name()).arg(counters[d.name()]++));
            }
        });
        sender.start();

        int serverKills = 0, clientKills = 0;
        QElapsedTimer chaos;
        chaos.start();
        while (chaos.elapsed() < qint64(seconds) * 1000) {
            // The next blow lands 2-6 s from now: the clients are mid-flight whatever it is.
            const int pause = 2000 + int(random() % 4000);
            QTest::qWait(pause); // paces the chaos; no assertion depends on it
            if (chance(0.4)) {
                addFaults(server, faults);
                server.kill();
                server.setExtraArgs(faultArgs());
                QVERIFY(server.start(server.dataDir(), port));
                ++serverKills;
            } else {
                ChaosDevice &d = *devices[2 + size_t(random() % 2)];
                d.kill();
                QVERIFY(d.startScript());
                ++clientKills;
            }
        }
        sender.stop();

        // Quiesce: the faults go (one more kill), every outbox empties, everyone catches up.
        addFaults(server, faults);
        server.kill();
        server.setExtraArgs(kCommon);
        QVERIFY(server.start(server.dataDir(), port));
        ++serverKills;
        for (auto &d : devices) {
            if (d->isProcess())
                QVERIFY2(d->finish(120000), qPrintable(d->name()));
            else
                QTRY_COMPARE_WITH_TIMEOUT(d->client()->engine()->outboxSize(), 0, 120000);
        }
        QStringList counts;
        for (auto it = faults.cbegin(); it != faults.cend(); ++it)
            counts << u"%1=%2"_s.arg(it.key()).arg(it.value());
        qInfo("faults injected: %s", qPrintable(counts.join(u", "_s)));
        qInfo("kills: server %d, clients %d; composed: %s", serverKills, clientKills, qPrintable([&] {
            QStringList c;
            for (auto &d : devices)
                c << u"%1 %2 (+%3 unconfirmed)"_s.arg(d->name())
                         .arg(d->queued().size())
                         .arg(d->maybe().size());
            return c.join(u", "_s);
        }()));
        for (const char *kind : { "drop", "dup", "delay", "reorder", "disconnect" })
            QVERIFY2(faults.value(QString::fromLatin1(kind) + u"/in"_s)
                        + faults.value(QString::fromLatin1(kind) + u"/out"_s)
                    > 0,
                kind);

        // What each conversation must hold: what its senders' own stores say they sent.
        const int n = int(devices.size());
        QMap<QString, QStringList> members; // conversation key -> device names
        members[group] = kNames;
        for (int i = 0; i < n; ++i)
            members[kNames[i] + u'>' + kNames[(i + 1) % n]] = { kNames[i], kNames[(i + 1) % n] };
        const auto where = [&](const QString &conversation, const QString &device) {
            if (conversation == group)
                return group;
            const QStringList pair = conversation.split(u'>');
            return pair[0] == device ? pair[1] : pair[0];
        };
        QVERIFY(verifyAll(devices, members, where));
    }

private:
    template<typename Where>
    bool verifyAll(std::vector<std::unique_ptr<ChaosDevice>> &devices,
        const QMap<QString, QStringList> &members, Where where)
    {
        // Undecryptable messages are asked for again and repaired: give that time, then judge.
        QString problem;
        const bool ok
            = QTest::qWaitFor([&] { return (problem = check(devices, members, where)).isEmpty(); }, 120000);
        if (!ok)
            qWarning("%s", qPrintable(problem));
        return ok;
    }

    template<typename Where>
    QString check(std::vector<std::unique_ptr<ChaosDevice>> &devices,
        const QMap<QString, QStringList> &members, Where where)
    {
        // One read of every device's conversations per pass (a process device catches up first).
        QHash<QString, QHash<QString, QList<ChaosMessage>>> stores; // device -> conversation -> messages
        for (auto &d : devices) {
            QStringList mine;
            for (auto conv = members.cbegin(); conv != members.cend(); ++conv)
                if (conv.value().contains(d->name()))
                    mine << where(conv.key(), d->name());
            const auto read = d->readAll(mine);
            if (!read)
                return u"%1 could not read its store"_s.arg(d->name());
            QHash<QString, QList<ChaosMessage>> byKey;
            for (auto conv = members.cbegin(); conv != members.cend(); ++conv)
                if (conv.value().contains(d->name()))
                    byKey.insert(conv.key(), read->value(where(conv.key(), d->name())));
            stores.insert(d->name(), byKey);
        }
        for (auto conv = members.cbegin(); conv != members.cend(); ++conv) {
            // Expected: every text a member's own store holds as sent by it.
            QSet<QString> expected;
            for (const QString &name : conv.value())
                for (const ChaosMessage &m : stores[name][conv.key()])
                    if (m.sender == name && m.text.startsWith(name + u' '))
                        expected.insert(m.text);
            for (const QString &name : conv.value()) {
                QSet<QString> seen;
                qint64 lastSeq = 0;
                for (const ChaosMessage &m : stores[name][conv.key()]) {
                    if (!m.settled)
                        return u"%1 in %2: seq %3 not settled yet"_s.arg(name, conv.key()).arg(m.seq);
                    if (m.seq <= lastSeq)
                        return u"%1 in %2: seq %3 after %4"_s.arg(name, conv.key()).arg(m.seq).arg(lastSeq);
                    lastSeq = m.seq;
                    if (!m.text.startsWith(m.sender + u' '))
                        return u"%1 in %2: '%3' from %4"_s.arg(name, conv.key(), m.text, m.sender);
                    if (seen.contains(m.text))
                        return u"%1 in %2: '%3' twice"_s.arg(name, conv.key(), m.text);
                    seen.insert(m.text);
                }
                if (seen != expected)
                    return u"%1 in %2: holds %3 of %4 messages"_s.arg(name, conv.key())
                        .arg(seen.size())
                        .arg(expected.size());
            }
        }
        // Nothing a device committed is missing from its own store, whatever was killed, and
        // nothing is there that it was never asked to send.
        for (auto &d : devices) {
            QSet<QString> own;
            for (const QList<ChaosMessage> &list : std::as_const(stores[d->name()]))
                for (const ChaosMessage &m : list)
                    if (m.sender == d->name())
                        own.insert(m.text);
            for (const QString &text : d->queued())
                if (!own.contains(text))
                    return u"%1 lost '%2', which it had committed"_s.arg(d->name(), text);
            for (const QString &text : std::as_const(own))
                if (!d->queued().contains(text) && !d->maybe().contains(text))
                    return u"%1 sent '%2', which nobody wrote"_s.arg(d->name(), text);
        }
        return {};
    }
};

int main(int argc, char *argv[])
{
    // A long soak outlives Qt Test's watchdog (5 minutes per test function): widen it to match.
    if (const int seconds = qEnvironmentVariableIntValue("CHATTERMESH_CHAOS_SECONDS");
        seconds > 0 && !qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", QByteArray::number((qint64(seconds) + 600) * 1000));
    QCoreApplication app(argc, argv);
    tst_Chaos test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_Chaos.moc"

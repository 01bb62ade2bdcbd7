// SPDX-License-Identifier: GPL-3.0-or-later
// SIGTERM under load (docs/operations.md, *Graceful drain*): four real engines send without pause
// in a ring while the server process is told to stop. It must exit 0 after closing every socket
// with 1001 and a reason; everything it acked must be in its store; after a restart on the same
// port every client comes back by itself and, in the end, every message composed reaches its
// recipient exactly once.
#include "ServerProcess.h"
#include "TestClient.h"

#include <QSet>
#include <QTimer>

using namespace chattermesh;
using namespace chattermesh::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int kClients = 4;
constexpr int kSendEveryMs = 8;
constexpr int kWaitMs = 60000;

struct Sender {
    std::unique_ptr<TestClient> client;
    QString name;
    QString peer; // the next one in the ring
    int composed = 0;
    QSet<QByteArray> acked; // client_msg_ids the server acknowledged (state Sent or later)
    QList<std::pair<int, QString>> closes; // (close code, reason) of every link that went down
};

} // namespace

class tst_Drain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sigtermUnderLoadLosesNothingAndClientsComeBack()
    {
        ServerProcess server;
        QVERIFY(server.start());
        const quint16 port = server.port();
        QTemporaryDir dir;
        std::vector<Sender> ring(kClients);
        const QStringList names { u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s };
        for (int i = 0; i < kClients; ++i) {
            Sender &s = ring[size_t(i)];
            s.name = names[i];
            s.peer = names[(i + 1) % kClients];
            s.client = std::make_unique<TestClient>(dir.path(), s.name, server.url());
            s.client->options().requestTimeoutMs = 10000;
            QVERIFY(s.client->signUp(s.name));
            core::Engine *engine = s.client->engine();
            QObject::connect(
                engine, &core::Engine::messageStateChanged, engine, [&s](const core::StateChange &c) {
                    if (c.state >= core::MessageState::Sent && c.state != core::MessageState::Failed)
                        s.acked.insert(c.clientMsgId);
                });
            QObject::connect(
                engine->connection(), &sync::Connection::lost, engine, [&s](const QString &reason) {
                    s.closes.append({ s.client->engine()->connection()->lastCloseCode(), reason });
                });
        }

        // Load: every client composes a message every few ms, whatever the server is doing.
        QTimer load;
        load.setInterval(kSendEveryMs);
        QObject::connect(&load, &QTimer::timeout, &load, [&ring] {
            for (Sender &s : ring) {
                const auto r = s.client->engine()->sendText(s.peer, u"%1 %2"_s.arg(s.name).arg(s.composed));
                if (r.ok()) // committed to the outbox: from here on it must arrive
                    ++s.composed;
            }
        });
        load.start();
        const auto ackedTotal = [&ring] {
            qsizetype n = 0;
            for (const Sender &s : ring)
                n += s.acked.size();
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(ackedTotal() >= 200, kWaitMs);

        // SIGTERM mid-load. terminate() runs an event loop: the clients keep sending meanwhile.
        QCOMPARE(server.terminate(), 0);
        const QByteArray logs = server.logs();
        QVERIFY2(logs.contains("SIGTERM received"), logs.right(2000).constData());
        // Every client saw its socket closed by the server with 1001 and the reason.
        for (const Sender &s : ring) {
            QVERIFY2(!s.closes.isEmpty(), qPrintable(s.name));
            QCOMPARE(s.closes.first().first, 1001);
            QCOMPARE(s.closes.first().second, u"server shutting down"_s);
        }
        QCOMPARE(int(logs.count("closing: 1001")), kClients); // the server's side of the same

        // Ack => durable: everything acked before the process was gone is in its database.
        QSet<QByteArray> acked;
        int pendingAtExit = 0;
        for (const Sender &s : ring) {
            acked.unite(s.acked);
            pendingAtExit += s.composed - int(s.acked.size());
        }
        QSet<QByteArray> stored;
        for (const QByteArray &hex :
            server.sql(u"SELECT lower(hex(client_msg_id)) FROM messages"_s).split('\n'))
            stored.insert(QByteArray::fromHex(hex));
        for (const QByteArray &id : std::as_const(acked))
            QVERIFY2(stored.contains(id), id.toHex().constData());
        qInfo() << acked.size() << "messages acked before SIGTERM," << pendingAtExit
                << "composed but not acked";
        QVERIFY(pendingAtExit > 0); // the load did not stop: some were still on their way

        // Same port, same data: each client reconnects by itself (backoff) and resumes.
        QVERIFY(server.start(server.dataDir(), port));
        for (Sender &s : ring)
            QVERIFY2(s.client->waitOnline(kWaitMs), qPrintable(s.name));
        const qsizetype ackedBeforeRestart = ackedTotal();
        QTRY_VERIFY_WITH_TIMEOUT(ackedTotal() >= ackedBeforeRestart + 200, kWaitMs);
        load.stop();

        // Everything composed is acked, and arrives once at the next client in the ring.
        for (Sender &s : ring) {
            QTRY_COMPARE_WITH_TIMEOUT(s.client->engine()->outboxSize(), 0, kWaitMs);
            QCOMPARE(int(s.acked.size()), s.composed);
        }
        for (int i = 0; i < kClients; ++i) {
            const Sender &from = ring[size_t(i)];
            Sender &to = ring[size_t((i + 1) % kClients)];
            const auto received = [&] {
                QList<QString> bodies;
                for (const core::StoredMessage &m : to.client->all(from.name))
                    if (!m.outgoing)
                        bodies.append(m.body);
                return bodies;
            };
            QTRY_COMPARE_WITH_TIMEOUT(int(received().size()), from.composed, kWaitMs);
            QSet<QString> expected;
            for (int n = 0; n < from.composed; ++n)
                expected.insert(u"%1 %2"_s.arg(from.name).arg(n));
            const QList<QString> got = received();
            QCOMPARE(QSet<QString>(got.cbegin(), got.cend()), expected); // none twice, none missing
            QCOMPARE(to.client->maxAnnouncements(), 1);
            QVERIFY(to.client->engine()->connection()->reconnects() >= 1);
        }
    }
};

QTEST_GUILESS_MAIN(tst_Drain)
#include "tst_Drain.moc"

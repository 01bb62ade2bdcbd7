// SPDX-License-Identifier: GPL-3.0-or-later
// Catch-up of N queued messages by a real client engine: received, stored in SQLCipher, acked.
#include "BenchReport.h"
#include "BenchWait.h"
#include "Engine.h"
#include "LoadClient.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

using namespace chattermesh;
using namespace chattermesh::bench;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption messagesO(QStringLiteral("messages"), QStringLiteral("Queued messages."),
        QStringLiteral("n"), QStringLiteral("10000"));
    QCommandLineOption smokeO(QStringLiteral("smoke"), QStringLiteral("CI smoke run."));
    p.addOptions({ messagesO, smokeO });
    p.process(app);
    const int total = p.value(messagesO).toInt();
    QTextStream out(stdout);

    SpawnedServer server({ QStringLiteral("--kdf-iterations"), QStringLiteral("1000") });
    if (!server.start()) {
        out << "server did not start" << Qt::endl;
        return 1;
    }
    QTemporaryDir dir;
    const QString bobName = QStringLiteral("bob%1").arg(QRandomGenerator::global()->bounded(1'000'000));
    core::EngineOptions o;
    o.serverUrl = server.url();
    o.storePath = dir.filePath(QStringLiteral("bob.db"));
    o.key = core::DbKey::passphrase(QStringLiteral("bench"));
    o.acceptUnencrypted = true; // the light load client sends plaintext payloads
    {
        core::Engine bob(o);
        if (!bob.open().ok())
            return 1;
        bob.registerAccount(bobName, QStringLiteral("bench password"));
        if (!spinUntil([&] { return bob.status() == core::Engine::Status::Online; }, 30000)) {
            out << "bob did not come online" << Qt::endl;
            return 1;
        }
    }

    LoadClient alice(server.url(), QStringLiteral("alice") + bobName);
    qint64 acked = 0, sent = 0;
    QObject::connect(&alice, &LoadClient::acked, &app, [&] { ++acked; });
    alice.start();
    if (!spinUntil([&] { return alice.isLive(); }, 30000))
        return 1;
    while (sent < total) {
        while (alice.inFlight() < 256 && sent < total) {
            QByteArray id(16, '\0');
            ++sent;
            std::memcpy(id.data(), &sent, sizeof sent);
            alice.send(bobName, id, QByteArray(100, 'q'));
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    }
    if (!spinUntil([&] { return acked == total; }, 60000))
        return 1;
    out << total << " messages queued for " << bobName << Qt::endl;

    core::Engine bob(o);
    qint64 stored = 0;
    QObject::connect(&bob, &core::Engine::messageAdded, &app, [&] { ++stored; });
    QElapsedTimer t;
    t.start();
    if (!bob.open().ok())
        return 1;
    const bool done
        = spinUntil([&] { return bob.status() == core::Engine::Status::Online && stored >= total; }, 120000);
    const double secs = double(t.nsecsElapsed()) / 1e9;
    const auto history = bob.history(QStringLiteral("alice") + bobName, 0, total + 10);
    const qsizetype inStore = history.ok() ? history.value().size() : -1;
    out << "caught up " << stored << " messages in " << secs << " s (" << qRound(double(stored) / secs)
        << " msgs/s), store holds " << inStore << Qt::endl;
    printReport(QStringLiteral("catchup"),
        { { QStringLiteral("messages"), total }, { QStringLiteral("stored"), double(inStore) },
            { QStringLiteral("seconds"), secs }, { QStringLiteral("msgs_per_s"), double(stored) / secs } });
    return done && inStore == total ? 0 : 1;
}

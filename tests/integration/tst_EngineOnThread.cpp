// SPDX-License-Identifier: GPL-3.0-or-later
// The app runs its engine on a worker thread (qml/EngineThread). Everything the engine owns must
// move there with it: a timer left behind on the creating thread never fires, and the engine then
// neither sends heartbeats nor reconnects. This drives a real engine on its own thread through a
// server that dies and comes back.
#include "Engine.h"
#include "ServerProcess.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace chattermesh;
using namespace chattermesh::core;
using namespace chattermesh::test;

namespace {

// Stops the engine on its thread and the thread itself, also when a check fails half-way.
struct ThreadedEngine {
    QThread thread;
    Engine *engine = nullptr;
    ~ThreadedEngine()
    {
        if (engine)
            QMetaObject::invokeMethod(
                engine, [e = engine] { e->close(); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    }
};

} // namespace

class tst_EngineOnThread : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reconnectsAfterTheServerComesBack()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        EngineOptions o;
        o.serverUrl = server.url();
        o.storePath = dir.filePath(QStringLiteral("threaded.db"));
        o.key = DbKey::passphrase(QStringLiteral("pw"));
        o.minBackoffMs = 10;
        o.maxBackoffMs = 200;
        ThreadedEngine threaded;
        QThread &thread = threaded.thread;
        auto *engine = new Engine(o);
        threaded.engine = engine;
        engine->moveToThread(&thread);
        connect(&thread, &QThread::finished, engine, &QObject::deleteLater);
        // The engine's status as this thread sees it, through queued signals only.
        Engine::Status status = Engine::Status::Closed;
        connect(engine, &Engine::statusChanged, this, [&status](Engine::Status s) { status = s; });
        // Qt only warns when an object is driven from a thread it does not live on: fail on that.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("Timers cannot be (started|stopped)")));
        QTest::failOnWarning(QRegularExpression(QStringLiteral("Cannot create children for a parent")));
        thread.start();

        bool opened = false;
        QMetaObject::invokeMethod(
            engine, [&] { opened = engine->open().ok(); }, Qt::BlockingQueuedConnection);
        QVERIFY(opened);
        QMetaObject::invokeMethod(engine, [engine] {
            engine->registerAccount(QStringLiteral("threaded"), QStringLiteral("correct horse battery"));
        });
        QTRY_COMPARE_WITH_TIMEOUT(status, Engine::Status::Online, 30000);

        const quint16 port = server.port();
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(status != Engine::Status::Online, 30000);
        QVERIFY(server.start(server.dataDir(), port));
        QTRY_COMPARE_WITH_TIMEOUT(status, Engine::Status::Online, 30000);
    }
};

QTEST_GUILESS_MAIN(tst_EngineOnThread)
#include "tst_EngineOnThread.moc"

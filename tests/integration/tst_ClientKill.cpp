// SPDX-License-Identifier: GPL-3.0-or-later
// A sending client process killed with SIGKILL mid-burst loses nothing: every message it had
// queued (committed to its outbox) reaches the peer exactly once after it restarts.
#include "ServerProcess.h"
#include "TestClient.h"

#include <QProcess>
#include <QSet>

using namespace chattermesh;
using namespace chattermesh::test;

namespace {

QStringList cliArgs(const QUrl &server, const QString &store, const QStringList &rest)
{
    return QStringList { QStringLiteral("--server"), server.toString(), QStringLiteral("--store"), store,
        QStringLiteral("--passphrase"), QStringLiteral("cli-pass"), QStringLiteral("--min-backoff-ms"),
        QStringLiteral("5") }
    + rest;
}

int runCli(const QStringList &args, QByteArray *out = nullptr)
{
    QProcess p;
    p.start(QStringLiteral(CHATTERMESH_CLI_BIN), args);
    if (!p.waitForFinished(60000))
        return -1;
    if (out)
        *out = p.readAllStandardOutput();
    return p.exitCode();
}

} // namespace

class tst_ClientKill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedSenderResendsEverythingExactlyOnce()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("alice-cli.db"));
        QCOMPARE(runCli(cliArgs(server.url(), store,
                     { QStringLiteral("register"), QStringLiteral("alice"),
                         QStringLiteral("correct horse battery") })),
            0);
        TestClient bob(dir.path(), QStringLiteral("bob"), server.url());
        QVERIFY(bob.signUp(QStringLiteral("bob")));

        QProcess sender;
        sender.start(QStringLiteral(CHATTERMESH_CLI_BIN),
            cliArgs(server.url(), store,
                { QStringLiteral("send"), QStringLiteral("bob"), QStringLiteral("--stdin") }));
        QVERIFY(sender.waitForStarted());
        const int total = 800;
        QByteArray lines;
        for (int i = 0; i < total; ++i)
            lines += "burst " + QByteArray::number(i) + '\n';
        sender.write(lines);

        // Kill once it has queued everything and the server has acked some but (very likely) not all.
        QByteArray out;
        int queued = 0, sent = 0;
        while (queued < total || sent < 20) {
            QVERIFY2(sender.waitForReadyRead(30000), "the CLI stopped talking");
            out += sender.readAllStandardOutput();
            queued = int(out.count("queued\t"));
            sent = int(out.count("\tsent"));
        }
        sender.kill();
        QVERIFY(sender.waitForFinished(10000));
        qInfo() << "killed after" << queued << "queued," << sent << "acked";

        // Restart: the outbox is flushed with the same client ids; the server dedupes retries.
        QByteArray flushOut;
        QCOMPARE(runCli(cliArgs(server.url(), store, { QStringLiteral("flush") }), &flushOut), 0);
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), total, 60000);
        QCOMPARE(bob.maxAnnouncements(), 1);
        QSet<QString> bodies;
        for (const auto &m : bob.all(QStringLiteral("alice")))
            bodies.insert(m.body);
        QCOMPARE(bodies.size(), total);
        for (int i = 0; i < total; ++i)
            QVERIFY(bodies.contains(QStringLiteral("burst %1").arg(i)));
        // The sender's own store agrees: everything sent, nothing pending.
        QByteArray history;
        QCOMPARE(runCli(cliArgs(server.url(), store,
                            { QStringLiteral("history"), QStringLiteral("bob"), QStringLiteral("--limit"),
                                QStringLiteral("5000") }),
                     &history),
            0);
        QCOMPARE(int(history.count("\nmsg\t")) + int(history.startsWith("msg\t")), total);
        QCOMPARE(int(history.count("\tpending\t")), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ClientKill)
#include "tst_ClientKill.moc"

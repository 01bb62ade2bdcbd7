// SPDX-License-Identifier: GPL-3.0-or-later
// Operations endpoints of the real server (docs/operations.md): /healthz and /readyz, /metrics as
// strict Prometheus text whose counters match what the test did, --metrics-token, JSON logs that
// hold no secret, and the --config file (values apply, flags win, bad keys and values fail by name).
#include "BlockingHttp.h"
#include "LiveTestKit.h"
#include "PrometheusText.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace chattermesh;
using namespace chattermesh::test;

namespace {

const QStringList kFastKdf { u"--kdf-iterations"_s, u"1000"_s };

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray createBody(const QString &kind, qint64 size)
{
    return json({ { u"kind"_s, kind }, { u"size"_s, double(size) } });
}

// One GET over a plain socket, for what BlockingHttp does not show (the response head). The whole
// response, empty if the server did not answer.
QByteArray rawGet(quint16 port, const QByteArray &path)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray response;
    qsizetype expected = -1; // head plus Content-Length, once the head is in
    while (expected < 0 || response.size() < expected) {
        if (!socket.waitForReadyRead(5000))
            break;
        response += socket.readAll();
        const qsizetype headEnd = response.indexOf("\r\n\r\n");
        if (expected < 0 && headEnd >= 0) {
            static const QRegularExpression length(
                u"\\r\\nContent-Length: *(\\d+)"_s, QRegularExpression::CaseInsensitiveOption);
            const auto match = length.match(QString::fromLatin1(response.left(headEnd + 2)));
            expected = headEnd + 4 + (match.hasMatch() ? match.captured(1).toLongLong() : 0);
        }
    }
    return response;
}

// Runs the server to its exit (for refused configurations); the exit code and stderr.
std::pair<int, QByteArray> runToExit(const QStringList &args)
{
    QProcess process;
    process.start(QStringLiteral(CHATTERMESH_SERVER_BIN), args);
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished();
        return { -1, process.readAllStandardError() };
    }
    return { process.exitCode(), process.readAllStandardError() };
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text);
    return file.fileName();
}

} // namespace

class tst_ServerOps : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    static std::optional<PrometheusText> scrape(const ServerProcess &server, const QByteArray &token = {})
    {
        BlockingHttp http(token);
        const auto reply = http.request("GET", server.assetUrl(u"/metrics"_s));
        if (reply.status != 200) {
            qWarning("/metrics answered %d", reply.status);
            return std::nullopt;
        }
        PrometheusText text;
        if (!text.parse(reply.body)) {
            qWarning("/metrics is not valid Prometheus text: %s\n%s", qPrintable(text.error()),
                reply.body.constData());
            return std::nullopt;
        }
        return text;
    }

    // A Ping answered on this connection means the server's event loop finished everything it was
    // doing before: the counters updated after a frame was written are updated.
    static bool settle(RawClient &client)
    {
        const auto pong = client.request(FrameBuilder::ping(1));
        return pong && pong->has_pong();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The server inherits the environment: debug lines must not be filtered out by the suite's rule.
        qunsetenv("QT_LOGGING_RULES");
    }

    void healthAndReadiness()
    {
        ServerProcess server(kFastKdf);
        QVERIFY(server.start());
        BlockingHttp http;
        const auto health = http.request("GET", server.assetUrl(u"/healthz"_s));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body, QByteArray("ok\n"));
        const auto ready = http.request("GET", server.assetUrl(u"/readyz"_s));
        QCOMPARE(ready.status, 200);
        QCOMPARE(ready.body, QByteArray("ready\n"));
        QCOMPARE(http.request("POST", server.assetUrl(u"/healthz"_s)).status, 405);
        QCOMPARE(http.request("DELETE", server.assetUrl(u"/metrics"_s)).status, 405);
        const QByteArray metrics = rawGet(server.assetPort(), "/metrics");
        QVERIFY2(
            metrics.contains("\r\nContent-Type: text/plain; version=0.0.4"), metrics.left(300).constData());

        // /readyz while draining is covered by tst_ServerHealth: here the drain of an idle server
        // takes about a millisecond, too short to probe without racing it.
        QCOMPARE(server.terminate(), 0);
    }

    void metricsMatchActivity()
    {
        ServerProcess server(kFastKdf);
        QVERIFY(server.start());
        const auto before = scrape(server);
        QVERIFY(before);
        QCOMPARE(before->typeOf(u"chattermesh_frames_in_total"_s), u"counter"_s);
        QCOMPARE(before->typeOf(u"chattermesh_send_ack_latency_ms"_s), u"histogram"_s);
        QCOMPARE(before->typeOf(u"chattermesh_mailbox_depth"_s), u"gauge"_s);
        QVERIFY(before->has(u"chattermesh_frames_in_total"_s, { { u"type"_s, u"send"_s } }));
        QCOMPARE(before->value(u"chattermesh_connections_open"_s), 0.0);

        LiveTestKit kit(u"ops"_s);
        auto alice = kit.user(server, u"alice"_s);
        auto bob = kit.user(server, u"bob"_s);
        QVERIFY(alice && bob);
        constexpr int kSends = 5;
        for (int i = 0; i < kSends; ++i) {
            const auto ack = alice->c().request(FrameBuilder::sendTo(bob->name, "hello", randomMsgId()));
            QVERIFY(ack && ack->has_ack());
        }
        for (int i = 1; i <= kSends; ++i)
            QVERIFY(LiveTestKit::waitFor(bob->c(), [](const proto::Frame &f) { return f.has_deliver(); }));

        RawClient intruder;
        QVERIFY(intruder.open(server.url()) && intruder.hello());
        QVERIFY(!intruder.login(alice->name, u"not the password"_s, u"phone"_s));
        QCOMPARE(LiveTestKit::errorOf(intruder.lastAnswer()), proto::INVALID_CREDENTIALS);

        BlockingHttp http(QByteArray::fromStdString(alice->devices[0].session.token()));
        const auto tooLarge
            = http.request("POST", server.assetUrl(u"/v1/assets"_s), createBody(u"image"_s, 17 << 20));
        QCOMPARE(tooLarge.status, 413);
        const auto created
            = http.request("POST", server.assetUrl(u"/v1/assets"_s), createBody(u"file"_s, 1000));
        QCOMPARE(created.status, 201);
        const QString id = created.json.value(u"id"_s).toString();
        QCOMPARE(http.request("PUT", server.assetUrl(u"/v1/assets/"_s + id + u"?offset=0"_s),
                         QByteArray(1000, 'x'))
                     .status,
            200);
        QVERIFY(settle(alice->c()) && settle(bob->c()));

        const auto after = scrape(server);
        QVERIFY(after);
        auto delta = [&](const QString &name, const PrometheusText::Labels &labels = {}) {
            return after->value(name, labels) - before->value(name, labels);
        };
        QCOMPARE(delta(u"chattermesh_frames_in_total"_s, { { u"type"_s, u"send"_s } }), double(kSends));
        QVERIFY(delta(u"chattermesh_bytes_in_total"_s, { { u"type"_s, u"send"_s } }) >= kSends * 16.0);
        QCOMPARE(delta(u"chattermesh_frames_out_total"_s, { { u"type"_s, u"ack"_s } }), double(kSends));
        QCOMPARE(delta(u"chattermesh_frames_out_total"_s, { { u"type"_s, u"deliver"_s } }), double(kSends));
        QCOMPARE(delta(u"chattermesh_frames_in_total"_s, { { u"type"_s, u"hello"_s } }), 3.0);
        QCOMPARE(delta(u"chattermesh_frames_in_total"_s, { { u"type"_s, u"login"_s } }), 1.0);
        QCOMPARE(delta(u"chattermesh_send_ack_latency_ms_count"_s), double(kSends));
        QCOMPARE(delta(u"chattermesh_send_deliver_latency_ms_count"_s), double(kSends));
        QCOMPARE(delta(u"chattermesh_auth_failures_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"reason"_s, u"invalid_credentials"_s } }),
            1.0);
        QCOMPARE(delta(u"chattermesh_rejected_requests_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"code"_s, u"INVALID_CREDENTIALS"_s } }),
            1.0);
        QCOMPARE(delta(u"chattermesh_rejected_requests_total"_s,
                     { { u"protocol"_s, u"http"_s }, { u"code"_s, u"TOO_LARGE"_s } }),
            1.0);
        QCOMPARE(delta(u"chattermesh_http_requests_total"_s, { { u"status"_s, u"413"_s } }), 1.0);
        QCOMPARE(delta(u"chattermesh_connections_accepted_total"_s), 3.0);
        QCOMPARE(after->value(u"chattermesh_connections_open"_s), 3.0);
        QCOMPARE(after->value(u"chattermesh_mailbox_depth"_s), double(kSends)); // bob has acked nothing
        QCOMPARE(after->value(u"chattermesh_asset_bytes_stored"_s), 1000.0);
        QVERIFY(after->value(u"chattermesh_store_commits_total"_s) > 0);
        QCOMPARE(server.terminate(), 0);
    }

    // --network-threads: accepted sockets are spread round robin over the threads, every thread
    // carries frames, and each thread's open sockets are in /metrics.
    void networkThreadsShareConnections()
    {
        ServerProcess server(kFastKdf + QStringList { u"--network-threads"_s, u"3"_s });
        QVERIFY(server.start());
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 6; ++i) {
            clients.push_back(std::make_unique<RawClient>());
            QVERIFY(clients.back()->open(server.url()));
            QVERIFY(clients.back()->hello()); // the handshake is done: the next one goes to the next thread
        }
        auto perThread = [&server](int thread) {
            const auto metrics = scrape(server);
            return metrics ? metrics->value(u"chattermesh_network_thread_connections"_s,
                       { { u"thread"_s, QString::number(thread) } })
                           : -1.0;
        };
        for (int thread = 0; thread < 3; ++thread)
            QCOMPARE(perThread(thread), 2.0);
        QCOMPARE(scrape(server)->value(u"chattermesh_connections_open"_s), 6.0);
        QVERIFY(
            !scrape(server)->has(u"chattermesh_network_thread_connections"_s, { { u"thread"_s, u"3"_s } }));

        // One of each thread's two goes away; the other still gets answers.
        for (int i = 0; i < 3; ++i)
            QVERIFY(clients[size_t(i)]->close());
        for (int thread = 0; thread < 3; ++thread)
            QTRY_COMPARE_WITH_TIMEOUT(perThread(thread), 1.0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(scrape(server)->value(u"chattermesh_connections_open"_s), 3.0, 10000);
        for (int i = 3; i < 6; ++i)
            QVERIFY(settle(*clients[size_t(i)]));
    }

    void metricsToken()
    {
        ServerProcess server(kFastKdf + QStringList { u"--metrics-token"_s, u"s3cret-scrape"_s });
        QVERIFY(server.start());
        BlockingHttp anonymous;
        QCOMPARE(anonymous.request("GET", server.assetUrl(u"/metrics"_s)).status, 401);
        QCOMPARE(anonymous.request("GET", server.assetUrl(u"/healthz"_s)).status, 200);
        QCOMPARE(anonymous.request("GET", server.assetUrl(u"/readyz"_s)).status, 200);
        BlockingHttp wrong("s3cret-scrapf");
        QCOMPARE(wrong.request("GET", server.assetUrl(u"/metrics"_s)).status, 401);
        const auto metrics = scrape(server, "s3cret-scrape");
        QVERIFY(metrics);
        QCOMPARE(metrics->value(u"chattermesh_auth_failures_total"_s,
                     { { u"protocol"_s, u"http"_s }, { u"reason"_s, u"metrics_token"_s } }),
            2.0);
        QCOMPARE(server.terminate(), 0);
    }

    void jsonLogsHoldNoSecrets()
    {
        const QString password = u"canary-password-5be1"_s;
        const QString wrongPassword = u"canary-wrong-password-93c0"_s;
        const QByteArray body = "canary-body-d41f77";
        const QByteArray metricsToken = "canary-metrics-token-8a2e";
        ServerProcess server(kFastKdf
            + QStringList { u"--log-format"_s, u"json"_s, u"--log-level"_s, u"debug"_s, u"--metrics-token"_s,
                QString::fromLatin1(metricsToken) });
        QVERIFY(server.start());

        RawClient alice, bob, intruder;
        QVERIFY(alice.open(server.url()) && alice.hello() && bob.open(server.url()) && bob.hello());
        const auto aliceSession = alice.registerUser(u"logalice"_s, password, u"laptop"_s);
        const auto bobSession = bob.registerUser(u"logbob"_s, password, u"laptop"_s);
        QVERIFY(aliceSession && bobSession);
        QVERIFY(LiveTestKit::goLive(bob));
        QVERIFY(intruder.open(server.url()) && intruder.hello());
        QVERIFY(!intruder.login(u"logalice"_s, wrongPassword, u"phone"_s));
        const auto ack = alice.request(FrameBuilder::sendTo(u"logbob"_s, body, randomMsgId()));
        QVERIFY(ack && ack->has_ack());
        QVERIFY(LiveTestKit::waitFor(bob, [](const proto::Frame &f) { return f.has_deliver(); }));
        RawClient again; // replaces alice's connection
        QVERIFY(again.open(server.url()) && again.hello());
        QVERIFY(again.resume(QString::fromStdString(aliceSession->token())));
        BlockingHttp http(QByteArray::fromStdString(aliceSession->token()));
        QCOMPARE(
            http.request("POST", server.assetUrl(u"/v1/assets"_s), createBody(u"file"_s, 10)).status, 201);
        QVERIFY(scrape(server, metricsToken));
        QCOMPARE(server.terminate(), 0);

        const QByteArray logs = server.logs();
        const QList<QByteArray> lines = logs.trimmed().split('\n');
        QVERIFY2(lines.size() > 20, logs.constData());
        static const QRegularExpression iso(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"_s);
        static const QStringList levels { u"debug"_s, u"info"_s, u"warning"_s, u"critical"_s, u"fatal"_s };
        int withConnection = 0;
        for (const QByteArray &line : lines) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), line.constData());
            const QJsonObject object = doc.object();
            QVERIFY2(iso.match(object.value(u"ts"_s).toString()).hasMatch(), line.constData());
            QVERIFY2(levels.contains(object.value(u"level"_s).toString()), line.constData());
            QVERIFY2(!object.value(u"category"_s).toString().isEmpty(), line.constData());
            QVERIFY2(object.value(u"msg"_s).isString(), line.constData());
            withConnection += object.contains(u"conn"_s);
        }
        QVERIFY(withConnection > 0);
        for (const QByteArray &secret : { password.toUtf8(), wrongPassword.toUtf8(), body, body.toHex(),
                 body.toBase64(), metricsToken, QByteArray::fromStdString(aliceSession->token()),
                 QByteArray::fromStdString(bobSession->token()) })
            QVERIFY2(!logs.contains(secret), secret.constData());
    }

    void configFileApplies()
    {
        const QString config = writeFile(m_dir, u"applies.conf"_s,
            "# operator settings\n"
            "asset-max-image-mb = 1\n"
            "\n"
            "; quoted values keep their text\n"
            "metrics-token = \"file-token\"\n"
            "kdf-iterations = 1000\n");
        ServerProcess server({ u"--config"_s, config });
        QVERIFY(server.start());
        auto user = LiveTestKit(u"cfg"_s).user(server, u"a"_s);
        QVERIFY(user);
        BlockingHttp http(QByteArray::fromStdString(user->devices[0].session.token()));
        QCOMPARE(
            http.request("POST", server.assetUrl(u"/v1/assets"_s), createBody(u"image"_s, 2 << 20)).status,
            413);
        QCOMPARE(
            http.request("POST", server.assetUrl(u"/v1/assets"_s), createBody(u"image"_s, 512 << 10)).status,
            201);
        QCOMPARE(BlockingHttp().request("GET", server.assetUrl(u"/metrics"_s)).status, 401);
        QVERIFY(scrape(server, "file-token"));
        QCOMPARE(server.terminate(), 0);

        // The command line wins over the file.
        ServerProcess overridden({ u"--config"_s, config, u"--asset-max-image-mb"_s, u"4"_s });
        QVERIFY(overridden.start());
        auto other = LiveTestKit(u"cfg"_s).user(overridden, u"b"_s);
        QVERIFY(other);
        http.setToken(QByteArray::fromStdString(other->devices[0].session.token()));
        QCOMPARE(http.request("POST", overridden.assetUrl(u"/v1/assets"_s), createBody(u"image"_s, 2 << 20))
                     .status,
            201);
        QCOMPARE(http.request("POST", overridden.assetUrl(u"/v1/assets"_s), createBody(u"image"_s, 5 << 20))
                     .status,
            413);
        QCOMPARE(overridden.terminate(), 0);
    }

    void configFileMaySetListenAndDataDir()
    {
        const QString config = writeFile(m_dir, u"listen.conf"_s,
            "listen = 127.0.0.1:0\ndata-dir = " + m_dir.filePath(u"data"_s).toUtf8() + "\n");
        QProcess process;
        process.start(QStringLiteral(CHATTERMESH_SERVER_BIN), { u"--config"_s, config });
        QVERIFY(process.waitForStarted());
        QByteArray out;
        while (!out.contains('\n') && process.waitForReadyRead(20000))
            out += process.readAllStandardOutput();
        QVERIFY2(out.startsWith("listening on 127.0.0.1:"), out.constData());
        process.terminate();
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
    }

    void badConfigFails_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("unknown key") << QByteArray("kdf-iterations = 1000\n# fine\nno-such-key = 1\n")
                                     << QStringList { u"line 3"_s, u"no-such-key"_s };
        QTest::newRow("bad number") << QByteArray("asset-max-image-mb = lots\n")
                                    << QStringList { u"line 1"_s, u"asset-max-image-mb"_s, u"1048576"_s };
        QTest::newRow("out of range")
            << QByteArray("\nsync-batch = 0\n") << QStringList { u"line 2"_s, u"sync-batch"_s };
        QTest::newRow("bad format") << QByteArray("log-format = xml\n")
                                    << QStringList { u"line 1"_s, u"log-format"_s, u"json"_s };
        QTest::newRow("no equals") << QByteArray("[server]\n")
                                   << QStringList { u"line 1"_s, u"key = value"_s };
        QTest::newRow("twice") << QByteArray("sync-batch = 5\nsync-batch = 6\n")
                               << QStringList { u"line 2"_s, u"sync-batch"_s };
        QTest::newRow("help is no key") << QByteArray("help = 1\n") << QStringList { u"line 1"_s, u"help"_s };
    }

    void badConfigFails()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, mentions);
        const QString config = writeFile(m_dir, u"bad.conf"_s, text);
        const auto [code, stderrText] = runToExit({ u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s,
            m_dir.filePath(u"bad"_s), u"--config"_s, config });
        QCOMPARE(code, 2);
        for (const QString &mention : mentions)
            QVERIFY2(stderrText.contains(mention.toUtf8()), stderrText.constData());
        QVERIFY2(stderrText.contains(config.toUtf8()), stderrText.constData());
    }

    void missingConfigFails()
    {
        const auto [code, stderrText] = runToExit({ u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s,
            m_dir.filePath(u"missing"_s), u"--config"_s, m_dir.filePath(u"nope.conf"_s) });
        QCOMPARE(code, 2);
        QVERIFY2(stderrText.contains("nope.conf"), stderrText.constData());
    }
};

QTEST_GUILESS_MAIN(tst_ServerOps)
#include "tst_ServerOps.moc"

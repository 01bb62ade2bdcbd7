// SPDX-License-Identifier: GPL-3.0-or-later
// TLS end to end (docs/operations.md, *TLS*), with the real server and real engines: messages and
// an attachment over wss:// and https:// trusting a test CA; a certificate no trusted CA signed is
// refused with a typed error before anything is sent; a pinned key that changes is refused until
// pinning is turned off (or the pin forgotten); and a server asked to listen beyond loopback in
// plain text refuses to start unless --insecure. The asset port counts clients that reject its
// certificate after its own half of a TLS 1.3 handshake, and an asset port showing another key than
// the pinned one gets nothing from the client. Certificates: tests/data/tls (make-certs.sh).
#include "ChaosProxy.h"
#include "MediaTestKit.h"
#include "PrometheusText.h"
#include "ServerProcess.h"
#include "TlsTestData.h"
#include "TlsTrust.h"

#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>

using namespace chattermesh;
using namespace chattermesh::core;
using namespace chattermesh::test;
using namespace Qt::StringLiterals;

namespace {

QStringList serving(const QString &name)
{
    return { u"--tls-cert"_s, tls(name + u".pem"_s), u"--tls-key"_s, tls(name + u".key"_s) };
}

// A client of the test CA, signing in to `server` (pinning on, as by default).
void trustTestCa(TestClient &client, const ServerProcess &server)
{
    client.setServer(server.url());
    client.options().tlsCaFile = tls(u"ca.pem"_s);
}

// The server's /metrics over https. The test reads them as an operator would with curl -k: the
// certificate is beside the point here (the clients under test never ignore errors).
QByteArray metricsOf(const ServerProcess &server)
{
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(QNetworkRequest(server.assetUrl(u"/metrics"_s)));
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
        return {};
    reply->deleteLater();
    return reply->readAll();
}

double metric(const ServerProcess &server, const QString &name, const PrometheusText::Labels &labels = {})
{
    PrometheusText text;
    if (!text.parse(metricsOf(server)))
        return -1;
    return text.value(name, labels);
}

QString pinIn(TestClient &client, const QUrl &server)
{
    auto &q = client->store().db().prepared("SELECT spki_sha256 FROM tls_pins WHERE endpoint = ?");
    q.bind(1, sync::TlsTrust::endpoint(server));
    const QString pin = q.step() ? q.text(0) : QString();
    q.reset();
    return pin;
}

// One https GET by a client that knows only the system's CAs, not the test CA, so it refuses the
// test certificate; `protocol` fixes the TLS version. What the reply ended with.
QNetworkReply::NetworkError getWithoutTestCa(const QUrl &url, QSsl::SslProtocol protocol)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(protocol);
    request.setSslConfiguration(config);
    QNetworkReply *reply = manager.get(request);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
        return QNetworkReply::TimeoutError;
    reply->deleteLater();
    return reply->error();
}

// A TLS 1.3 client that checks the certificate only once its side of the handshake is done, as
// clients that verify or pin on their own do: by then the server's half is done too. It knows only
// the system's CAs, refuses the test certificate, and drops the connection without a request (and
// without a TLS goodbye). Whether it refused.
bool refuseAfterHandshake(const ServerProcess &server)
{
    QSslSocket socket;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_3OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // checked below instead
    socket.setSslConfiguration(config);
    socket.connectToHostEncrypted(u"127.0.0.1"_s, server.assetPort());
    if (!socket.waitForEncrypted(20000) || socket.sessionProtocol() != QSsl::TlsV1_3)
        return false;
    socket.flush(); // our last handshake message: the server's half completes with it
    const bool trusted = QSslCertificate::verify(socket.peerCertificateChain(), u"127.0.0.1"_s).isEmpty();
    socket.abort();
    return !trusted;
}

// A raw TLS 1.3 connection to the asset port from a client of the test CA, encrypted on both
// sides: the server's half is done, and the client has checked the certificate.
std::unique_ptr<QSslSocket> trustingConnection(const ServerProcess &server)
{
    auto socket = std::make_unique<QSslSocket>();
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.addCaCertificates(tls(u"ca.pem"_s));
    config.setProtocol(QSsl::TlsV1_3OrLater);
    socket->setSslConfiguration(config);
    socket->connectToHostEncrypted(u"127.0.0.1"_s, server.assetPort());
    if (!socket->waitForEncrypted(20000) || socket->sessionProtocol() != QSsl::TlsV1_3)
        return {};
    return socket;
}

// A TLS listener with a valid certificate for 127.0.0.1 signed by the test CA, but not the server's
// key: a mis-issued or stolen certificate. It answers nothing and keeps every byte a client sends
// it once encrypted, and which of its connections are still open.
class Impostor {
public:
    explicit Impostor(const QString &name)
    {
        QFile cert(tls(name + u".pem"_s));
        QFile key(tls(name + u".key"_s));
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        if (cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly)) {
            config.setLocalCertificate(QSslCertificate(&cert, QSsl::Pem));
            config.setPrivateKey(QSslKey(&key, QSsl::Ec, QSsl::Pem));
        }
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server.setSslConfiguration(config);
        QObject::connect(
            &m_server, &QSslServer::startedEncryptionHandshake, &m_server, [this](QSslSocket *socket) {
                ++m_connections;
                m_open.insert(socket);
                QObject::connect(socket, &QSslSocket::readyRead, socket,
                    [this, socket] { m_received += socket->readAll(); });
                auto closed = [this, socket] { m_open.remove(socket); };
                QObject::connect(socket, &QSslSocket::disconnected, &m_server, closed);
                QObject::connect(socket, &QObject::destroyed, &m_server, closed);
            });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; } // TCP connections that started a handshake
    bool allClosed() const { return m_connections > 0 && m_open.isEmpty(); }
    QByteArray received() const { return m_received; }

private:
    QSslServer m_server;
    int m_connections = 0;
    QSet<QSslSocket *> m_open;
    QByteArray m_received;
};

struct Exit {
    int code = -1;
    QByteArray err;
};

// The server binary run to its end (it is expected to refuse to start).
Exit runServer(const QStringList &args)
{
    QTemporaryDir dir;
    QProcess process;
    process.start(QStringLiteral(CHATTERMESH_SERVER_BIN), QStringList { u"--data-dir"_s, dir.path() } + args);
    if (!process.waitForFinished(20000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        process.readAllStandardError() };
}

// One of this machine's own IPv4 addresses that is not loopback, if it has one.
QString nonLoopbackAddress()
{
    for (const QHostAddress &address : QNetworkInterface::allAddresses())
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            return address.toString();
    return {};
}

} // namespace

class tst_Tls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void messagesAndMediaOverTls()
    {
        ServerProcess server(serving(u"server"_s));
        QVERIFY(server.start());
        QCOMPARE(server.url().scheme(), u"wss"_s);
        QTemporaryDir dir;
        TestClient alice(dir.path(), u"alice"_s, QUrl());
        TestClient bob(dir.path(), u"bob"_s, QUrl());
        trustTestCa(alice, server);
        trustTestCa(bob, server);
        QVERIFY(alice.signUp(u"alice"_s));
        QVERIFY(bob.signUp(u"bob"_s));
        // The server announced its asset port; the client speaks https to it, as to wss.
        QCOMPARE(alice->assetUrl().scheme(), u"https"_s);
        QCOMPARE(pinIn(alice, server.url()), spkiOf(u"server"_s));

        auto sent = alice->sendText(u"bob"_s, u"hello over TLS"_s);
        QVERIFY(sent.ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            messageState(alice, sent.value().clientMsgId) == MessageState::Delivered, 30000);
        QCOMPARE(bob.all(u"alice"_s).value(0).body, u"hello over TLS"_s);
        auto back = bob->sendText(u"alice"_s, u"and back"_s);
        QVERIFY(back.ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            messageState(bob, back.value().clientMsgId) == MessageState::Delivered, 30000);

        // An attachment: uploaded to, and downloaded from, the asset service over https.
        const QString original = writeFile(dir.filePath(u"notes.bin"_s), 300 * 1024, 7);
        QVERIFY(!original.isEmpty());
        const qint64 got = sendAndFetch(alice, u"bob"_s, bob, u"alice"_s, original);
        QVERIFY(got > 0);
        const auto plain = bob->readMedia(got);
        QVERIFY(plain.ok());
        QCOMPARE(plain.value(), readAll(original));
        QCOMPARE(
            metric(server, u"chattermesh_tls_handshake_failures_total"_s, { { u"listener"_s, u"ws"_s } }),
            0.0);
    }

    void untrustedCertificateIsRefused()
    {
        ServerProcess server(serving(u"wrong"_s));
        QVERIFY(server.start());
        QTemporaryDir dir;
        TestClient alice(dir.path(), u"alice"_s, QUrl());
        trustTestCa(alice, server); // the test CA did not sign wrong.pem
        QVERIFY(alice.open());
        QSignalSpy failed(alice.engine(), &Engine::tlsFailed);
        alice->registerAccount(u"alice"_s, u"correct horse battery"_s);
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0).value<sync::TlsError>(), sync::TlsError::NotTrusted);
        const QString message = failed.at(0).at(1).toString();
        QVERIFY2(message.startsWith(u"certificate not trusted: "_s), qPrintable(message));
        QCOMPARE(alice->status(), Engine::Status::SignedOut);
        // Stopped for good: no reconnect is scheduled, so nothing hammers the server.
        QCOMPARE(alice->connection()->state(), sync::Connection::State::Stopped);
        QVERIFY(pinIn(alice, server.url()).isEmpty());
        // Trying again is the user's call, and fails the same way.
        alice->reconnect();
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.size(), 2);
        QCOMPARE(failed.at(1).at(0).value<sync::TlsError>(), sync::TlsError::NotTrusted);

        // Nothing was sent: the handshake failed on the server too, no WebSocket was opened and no
        // account exists.
        QTRY_VERIFY_WITH_TIMEOUT(
            metric(server, u"chattermesh_tls_handshake_failures_total"_s, { { u"listener"_s, u"ws"_s } })
                >= 1,
            20000);
        QCOMPARE(metric(server, u"chattermesh_connections_accepted_total"_s), 0.0);
        QCOMPARE(server.sql(u"SELECT count(*) FROM users"_s), QByteArray("0"));
        QVERIFY(server.logs().contains("TLS handshake with 127.0.0.1:"));

        // A client told nothing about the test CA refuses the right certificate just the same.
        ServerProcess good(serving(u"server"_s));
        QVERIFY(good.start());
        TestClient bob(dir.path(), u"bob"_s, good.url());
        QVERIFY(bob.open());
        QSignalSpy bobFailed(bob.engine(), &Engine::tlsFailed);
        bob->registerAccount(u"bob"_s, u"correct horse battery"_s);
        QVERIFY(bobFailed.wait(20000));
        QCOMPARE(bobFailed.at(0).at(0).value<sync::TlsError>(), sync::TlsError::NotTrusted);
    }

    void changedKeyIsRefusedUntilPinningIsOff()
    {
        ServerProcess server(serving(u"server"_s));
        QVERIFY(server.start());
        const quint16 port = server.port();
        QTemporaryDir dir;
        TestClient alice(dir.path(), u"alice"_s, QUrl());
        trustTestCa(alice, server);
        QVERIFY(alice.signUp(u"alice"_s));
        QCOMPARE(pinIn(alice, server.url()), spkiOf(u"server"_s));

        // Same data, same port, same CA: a valid certificate, but another key.
        QSignalSpy failed(alice.engine(), &Engine::tlsFailed);
        QCOMPARE(server.terminate(), 0);
        server.setExtraArgs(serving(u"other"_s));
        QVERIFY(server.start(server.dataDir(), port));
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.at(0).at(0).value<sync::TlsError>(), sync::TlsError::CertificateChanged);
        const QString message = failed.at(0).at(1).toString();
        QVERIFY2(message.contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(message));
        QVERIFY(message.contains(spkiOf(u"server"_s)));
        QVERIFY(message.contains(spkiOf(u"other"_s)));
        QCOMPARE(alice->status(), Engine::Status::SignedOut);
        QCOMPARE(alice->connection()->state(), sync::Connection::State::Stopped);
        QCOMPARE(pinIn(alice, server.url()), spkiOf(u"server"_s)); // the pin is not overwritten

        // Told not to pin, the same store resumes its session on the new certificate.
        alice.close();
        alice.options().pinCertificate = false;
        QVERIFY(alice.open());
        QVERIFY(alice.waitOnline());
        QCOMPARE(pinIn(alice, server.url()), spkiOf(u"server"_s));

        // Pinning again, after forgetting the old pin: the new key is pinned.
        alice.close();
        alice.options().pinCertificate = true;
        QVERIFY(alice.open());
        QVERIFY(alice->forgetCertificatePin().ok());
        QVERIFY(alice.waitOnline());
        QCOMPARE(pinIn(alice, server.url()), spkiOf(u"other"_s));
    }

    // Under TLS 1.3 the server's half of the handshake is done before the client checks the
    // certificate; a client that refuses it can only say so afterwards. The asset port counts it
    // once, and nothing that merely closes a connection after (or instead of) a request.
    void assetPortCountsClientsRejectingItsCertificate()
    {
        ServerProcess server(serving(u"server"_s));
        QVERIFY(server.start());
        const PrometheusText::Labels http { { u"listener"_s, u"http"_s } };
        const QString failures = u"chattermesh_tls_handshake_failures_total"_s;
        QCOMPARE(metric(server, failures, http), 0.0);

        // Refused by QNetworkAccessManager over TLS 1.3 (Qt checks before sending its last
        // handshake message, so the server's half fails), by a client checking after the handshake
        // (the server's half succeeded), and by QNetworkAccessManager over TLS 1.2 (where its last
        // message goes out first): each counted, once.
        const int rejected = 3;
        for (int i = 0; i < rejected; ++i) {
            QCOMPARE(getWithoutTestCa(server.assetUrl(u"/healthz"_s), QSsl::TlsV1_3OrLater),
                QNetworkReply::SslHandshakeFailedError);
            QVERIFY(refuseAfterHandshake(server));
        }
        QCOMPARE(getWithoutTestCa(server.assetUrl(u"/healthz"_s), QSsl::TlsV1_2),
            QNetworkReply::SslHandshakeFailedError);
        const double expected = 2 * rejected + 1;
        QTRY_COMPARE_WITH_TIMEOUT(metric(server, failures, http), expected, 20000);
        QVERIFY(server.logs().contains("TLS handshake with 127.0.0.1:"));
        QVERIFY(server.logs().contains("(assets) failed:"));

        // A client that trusts the certificate and closes without a request, politely (TLS
        // close_notify, as an HTTP client drops a connection it did not need): not a failure.
        auto polite = trustingConnection(server);
        QVERIFY(polite);
        polite->disconnectFromHost();
        QVERIFY(polite->state() == QAbstractSocket::UnconnectedState || polite->waitForDisconnected(20000));
        // One that sends a request and then drops the connection without a word: not a failure
        // either, the handshake was done once the request arrived.
        auto abrupt = trustingConnection(server);
        QVERIFY(abrupt);
        abrupt->write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray answer;
        while (!answer.contains("ok") && abrupt->waitForReadyRead(20000))
            answer += abrupt->readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        abrupt->abort();

        // Clients of the test CA: an upload and a download over https, with the scrapes between.
        QTemporaryDir dir;
        TestClient alice(dir.path(), u"alice"_s, QUrl());
        TestClient bob(dir.path(), u"bob"_s, QUrl());
        trustTestCa(alice, server);
        trustTestCa(bob, server);
        QVERIFY(alice.signUp(u"alice"_s));
        QVERIFY(bob.signUp(u"bob"_s));
        const QString original = writeFile(dir.filePath(u"notes.bin"_s), 100 * 1024, 9);
        QVERIFY(sendAndFetch(alice, u"bob"_s, bob, u"alice"_s, original) > 0);
        alice.close();
        bob.close();

        QCOMPARE(metric(server, failures, http), expected);
        QCOMPARE(metric(server, failures, { { u"listener"_s, u"ws"_s } }), 0.0);
    }

    // The client pins the WebSocket's key; the asset connection must show the same one. Here the
    // real server is reached through a relay on 127.0.0.1 while it listens on 127.0.0.2, and an
    // impostor with another certificate of the same CA stands on 127.0.0.1 at the asset port the
    // server announces: where the client looks for assets.
    void assetPortWithAnotherKeyGetsNothing()
    {
        Impostor impostor(u"other"_s);
        QVERIFY(impostor.listen());
        ServerProcess server(serving(u"server"_s)
            + QStringList {
                u"--listen"_s, u"127.0.0.2:0"_s, u"--asset-port"_s, QString::number(impostor.port()) });
        QVERIFY(server.start());
        // A plain TCP relay: TLS passes through, so the client verifies the server itself.
        ChaosProxy relay(server.port(), 1, 1, 2, QHostAddress(u"127.0.0.2"_s));
        relay.setEnabled(false);
        QVERIFY(relay.listen());
        const QUrl url(u"wss://127.0.0.1:%1"_s.arg(relay.port()));

        QTemporaryDir dir;
        TestClient alice(dir.path(), u"alice"_s, url);
        TestClient bob(dir.path(), u"bob"_s, url);
        alice.options().tlsCaFile = tls(u"ca.pem"_s);
        bob.options().tlsCaFile = tls(u"ca.pem"_s);
        QVERIFY(alice.signUp(u"alice"_s));
        QVERIFY(bob.signUp(u"bob"_s));
        QCOMPARE(pinIn(alice, url), spkiOf(u"server"_s));
        QCOMPARE(alice->assetUrl(), QUrl(u"https://127.0.0.1:%1"_s.arg(impostor.port())));

        QSignalSpy retrying(alice.engine(), &Engine::transferRetrying);
        const QString file = writeFile(dir.filePath(u"secret.bin"_s), 64 * 1024, 5, true);
        auto sent = alice->sendMedia({ u"bob"_s }, file);
        QVERIFY(sent.ok());
        // Whichever comes first: the refusal, or a request reaching the impostor.
        QTRY_VERIFY_WITH_TIMEOUT(
            stateOf(alice, sent.value().localId) == TransferState::Failed || !impostor.received().isEmpty(),
            30000);
        QVERIFY2(impostor.received().isEmpty(),
            impostor.received().left(impostor.received().indexOf('\r')).constData());
        const auto t = alice->transferOf(sent.value().localId);
        QCOMPARE(t->error, MediaError::Untrusted);
        QVERIFY2(t->errorText.contains(spkiOf(u"other"_s)), qPrintable(t->errorText));
        QVERIFY2(t->errorText.contains(spkiOf(u"server"_s)), qPrintable(t->errorText));

        // One connection, closed by the client with nothing said on it: no request line, no
        // Authorization header, no byte of the upload. (The client gives up as soon as it has seen
        // the key, so the impostor may not even have finished its half of the handshake.)
        QTRY_VERIFY_WITH_TIMEOUT(impostor.allClosed(), 20000);
        QCOMPARE(impostor.connections(), 1);
        QVERIFY(!impostor.received().contains("Authorization"));
        QCOMPARE(impostor.received(), QByteArray());
        // Failed for good, not retried. Sending again is the user's call: one more connection,
        // refused the same way (a retry loop would have added more meanwhile).
        QCOMPARE(retrying.size(), 0);
        auto again = alice->sendMedia({ u"bob"_s }, file);
        QVERIFY(again.ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, again.value().localId), TransferState::Failed, 30000);
        QCOMPARE(alice->transferOf(again.value().localId)->error, MediaError::Untrusted);
        QTRY_VERIFY_WITH_TIMEOUT(impostor.connections() == 2 && impostor.allClosed(), 20000);
        QCOMPARE(impostor.received(), QByteArray());
        QCOMPARE(retrying.size(), 0);
        // The real asset service saw nothing either, and the WebSocket side still works.
        QCOMPARE(server.sql(u"SELECT count(*) FROM assets"_s), QByteArray("0"));
        auto text = alice->sendText(u"bob"_s, u"still here"_s);
        QVERIFY(text.ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            messageState(alice, text.value().clientMsgId) == MessageState::Delivered, 30000);
    }

    void plainTextBeyondLoopbackNeedsInsecure()
    {
        QStringList addresses { u"0.0.0.0"_s };
        if (const QString own = nonLoopbackAddress(); !own.isEmpty())
            addresses.append(own);
        for (const QString &address : addresses) {
            const Exit refused = runServer({ u"--listen"_s, address + u":0"_s });
            QCOMPARE(refused.code, 1);
            const QString err = QString::fromUtf8(refused.err);
            QVERIFY2(err.contains(u"refusing to listen on %1 without TLS"_s.arg(address)), qPrintable(err));
            QVERIFY(err.contains(u"--tls-cert"_s));
            QVERIFY(err.contains(u"--insecure"_s));
        }
        // Bad TLS files stop the server at start, naming the file.
        const Exit mismatch = runServer({ u"--listen"_s, u"127.0.0.1:0"_s, u"--tls-cert"_s,
            tls(u"server.pem"_s), u"--tls-key"_s, tls(u"other.key"_s) });
        QCOMPARE(mismatch.code, 1);
        QVERIFY2(mismatch.err.contains("does not belong to the certificate"), mismatch.err.constData());

        // --insecure: it starts, and says what it is doing.
        ServerProcess insecure({ u"--listen"_s, u"0.0.0.0:0"_s, u"--insecure"_s });
        QVERIFY(insecure.start());
        QVERIFY(insecure.logs().contains("--insecure: serving plain ws://"));
        // With TLS no flag is needed.
        ServerProcess secure(QStringList { u"--listen"_s, u"0.0.0.0:0"_s } + serving(u"server"_s));
        QVERIFY(secure.start());

        // The client's side of the same rule, where the machine has an address to try it on.
        const QString own = nonLoopbackAddress();
        if (own.isEmpty())
            return;
        QTemporaryDir dir;
        TestClient alice(dir.path(), u"alice"_s, QUrl(u"ws://%1:%2"_s.arg(own).arg(insecure.port())));
        QVERIFY(alice.open());
        QSignalSpy failed(alice.engine(), &Engine::tlsFailed);
        alice->registerAccount(u"alice"_s, u"correct horse battery"_s);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0).value<sync::TlsError>(), sync::TlsError::PlainTextRefused);
        alice.close();
        alice.options().allowPlainText = true;
        QVERIFY(alice.signUp(u"alice"_s));
    }
};

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_Tls.moc"

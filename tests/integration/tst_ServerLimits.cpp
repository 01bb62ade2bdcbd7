// SPDX-License-Identifier: GPL-3.0-or-later
// The server's limits (docs/operations.md, *Limits*) against the real binary: each one is hit and
// answered as documented — a typed error or a close code with a reason, counted in /metrics — while
// another client on the same server keeps sending and receiving normally. Nothing sleeps: every wait
// is for an event, bounded by a generous timeout, and no assertion is about elapsed time.
#include "BlockingHttp.h"
#include "LiveTestKit.h"
#include "PrometheusText.h"
#include "TestClient.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace chattermesh;
using namespace chattermesh::test;

namespace {

const QStringList kFastKdf { u"--kdf-iterations"_s, u"1000"_s };
// Slow enough that password checks are still running while a burst of Logins arrives (the case
// the in-flight budget is for), fast enough for a test; the assertions do not depend on it.
const QStringList kSlowerKdf { u"--kdf-iterations"_s, u"50000"_s };

std::optional<PrometheusText> scrape(const ServerProcess &server)
{
    BlockingHttp http;
    const auto reply = http.request("GET", server.assetUrl(u"/metrics"_s));
    PrometheusText text;
    if (reply.status != 200 || !text.parse(reply.body)) {
        qWarning("/metrics answered %d: %s", reply.status, reply.body.left(300).constData());
        return std::nullopt;
    }
    return text;
}

// The server's first WebSocket message to a bare upgrade, read off the TCP socket: QWebSocket in
// Qt 6.4 does not accept close codes 1012-1014 (it reports 1002 instead), so the test reads the
// close frame itself. {code, reason}, or {-1, what was read} if no close frame came.
std::pair<int, QByteArray> closeFrameAfterUpgrade(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(u"127.0.0.1"_s, port);
    if (!socket.waitForConnected(10000))
        return { -1, "no connection" };
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray in;
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        const qsizetype head = in.indexOf("\r\n\r\n");
        if (head >= 0 && in.size() >= head + 4 + 2) {
            const QByteArray frame = in.mid(head + 4);
            const int length = quint8(frame[1]) & 0x7f;
            if (frame.size() >= 2 + length) {
                if (quint8(frame[0]) != 0x88 || length < 2) // FIN + close, unmasked, short
                    return { -1, in };
                const int code = (quint8(frame[2]) << 8) | quint8(frame[3]);
                return { code, frame.mid(4, length - 2) };
            }
        }
        if (!socket.waitForReadyRead(int(deadline.remainingTime())))
            break;
        in += socket.readAll();
    }
    return { -1, in };
}

// A client that stops reading, on a socket of its own: a tiny kernel receive buffer (set before
// connecting, which also turns off its autotuning) and, once live, a Qt read buffer that is never
// drained. WebSocket framing by hand, since QWebSocket always reads everything.
class SlowReader {
public:
    ~SlowReader() { m_socket.abort(); }

    bool connectTo(quint16 port)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return false;
        const int small = 4096;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
            || !m_socket.setSocketDescriptor(fd)) {
            ::close(fd);
            return false;
        }
        m_socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        while (m_in.indexOf("\r\n\r\n") < 0)
            if (!fill())
                return false;
        if (!m_in.startsWith("HTTP/1.1 101"))
            return false;
        m_in.remove(0, m_in.indexOf("\r\n\r\n") + 4);
        return true;
    }

    // One request, and the frame that answers it (pushes before it are skipped).
    std::optional<proto::Frame> request(proto::Frame frame)
    {
        frame.set_request_id(++m_requestId);
        const QByteArray payload = proto::encodeFrame(frame);
        QByteArray header(1, char(0x82)); // FIN, binary
        if (payload.size() < 126) {
            header.append(char(0x80 | payload.size()));
        } else {
            header.append(char(0x80 | 126));
            header.append(char((payload.size() >> 8) & 0xff)).append(char(payload.size() & 0xff));
        }
        header.append(QByteArray(4, '\0')); // a zero mask leaves the payload as it is
        m_socket.write(header + payload);
        for (;;) {
            const auto answer = next();
            if (!answer || answer->request_id() == m_requestId)
                return answer;
        }
    }

    // From now on nothing more is taken from the kernel.
    void stopReading() { m_socket.setReadBufferSize(1); }

private:
    bool fill()
    {
        if (!m_socket.waitForReadyRead(10000))
            return false;
        m_in += m_socket.readAll();
        return true;
    }

    std::optional<proto::Frame> next()
    {
        for (;;) {
            if (m_in.size() >= 2) {
                qint64 length = quint8(m_in[1]) & 0x7f;
                int offset = 2;
                if (length == 126 && m_in.size() >= 4) {
                    length = (quint8(m_in[2]) << 8) | quint8(m_in[3]);
                    offset = 4;
                } else if (length == 127 && m_in.size() >= 10) {
                    length = 0;
                    for (int i = 2; i < 10; ++i)
                        length = (length << 8) | quint8(m_in[i]);
                    offset = 10;
                }
                if (length < 126 || offset > 2) {
                    if (m_in.size() >= offset + length) {
                        proto::Frame frame;
                        const bool ok = frame.ParseFromArray(m_in.constData() + offset, int(length));
                        m_in.remove(0, offset + length);
                        if (!ok)
                            return std::nullopt;
                        return frame;
                    }
                }
            }
            if (!fill())
                return std::nullopt;
        }
    }

    QTcpSocket m_socket;
    QByteArray m_in;
    quint64 m_requestId = 0;
};

double metric(const ServerProcess &server, const QString &name, const PrometheusText::Labels &labels = {})
{
    const auto text = scrape(server);
    return text ? text->value(name, labels) : -1;
}

} // namespace

class tst_ServerLimits : public QObject {
    Q_OBJECT

    LiveTestKit m_kit { u"lim"_s };

    // The bystanders' proof of health: `from` sends to `to`, gets its Ack, and `to` (live) gets the
    // Deliver with the same payload.
    static void exchange(const LiveUser &from, const LiveUser &to, const QByteArray &body)
    {
        const auto ack = from.c().request(FrameBuilder::sendTo(to.name, body, randomMsgId()));
        QVERIFY2(ack && ack->has_ack(), ack ? proto::bodyName(*ack) : "no answer");
        const auto deliver = LiveTestKit::waitFor(to.c(), [&](const proto::Frame &f) {
            return f.has_deliver() && f.deliver().entry().message().payload() == body.toStdString();
        });
        QVERIFY2(deliver, "the message was not pushed");
        QCOMPARE(deliver->deliver().entry().message().seq(), ack->ack().seq());
    }

private Q_SLOTS:
    void initTestCase() { qunsetenv("QT_LOGGING_RULES"); }

    // --max-connections: one connection over the bound is closed with 1013 and a reason, right after
    // its handshake; the open ones carry on, and once one leaves a newcomer gets in.
    void maxConnectionsClosesWith1013()
    {
        ServerProcess server(kFastKdf + QStringList { u"--max-connections"_s, u"3"_s });
        QVERIFY(server.start());
        const auto alice = m_kit.user(server, u"alice"_s);
        const auto bob = m_kit.user(server, u"bob"_s);
        QVERIFY(alice && bob);
        RawClient third;
        QVERIFY(third.open(server.url()) && third.hello());

        // The upgrade completes and the close follows at once.
        const auto [code, reason] = closeFrameAfterUpgrade(server.port());
        QCOMPARE(code, 1013);
        QCOMPARE(reason, QByteArray("server at capacity, try again later"));
        // A Qt 6.4 client sees that as a protocol error (it does not know 1013) and closes too.
        RawClient refused;
        refused.open(server.url());
        QVERIFY(refused.waitClosed());
        QVERIFY(!refused.isOpen());

        exchange(*alice, *bob, "through a full server");
        exchange(*bob, *alice, "and back");
        QVERIFY(third.isOpen());
        const auto pong = third.request(FrameBuilder::ping(7));
        QVERIFY(pong && pong->has_pong());

        QCOMPARE(
            metric(server, u"chattermesh_limit_closes_total"_s, { { u"reason"_s, u"max_connections"_s } }),
            2.0); // the bare upgrade and the Qt client
        QVERIFY(third.close());
        QTRY_COMPARE_WITH_TIMEOUT(metric(server, u"chattermesh_connections_open"_s), 2.0, 10000);
        RawClient newcomer;
        QVERIFY(newcomer.open(server.url()) && newcomer.hello());
        exchange(*alice, *bob, "still fine");
        QCOMPARE(
            metric(server, u"chattermesh_limit_closes_total"_s, { { u"reason"_s, u"max_connections"_s } }),
            2.0);
        QCOMPARE(server.terminate(), 0);
    }

    // --send-rate/--send-burst: per user, over all its devices. Beyond the burst a Send gets
    // RATE_LIMITED with retry_after_ms and is not stored; other users are not affected.
    void sendRatePerUserWithRetryAfter()
    {
        // One Send per minute after a burst of 3: the 4th cannot become legal while the test runs.
        ServerProcess server(kFastKdf + QStringList { u"--send-rate"_s, u"1"_s, u"--send-burst"_s, u"3"_s });
        QVERIFY(server.start());
        const auto alice = m_kit.user(server, u"alice"_s, 2);
        const auto bob = m_kit.user(server, u"bob"_s);
        const auto carol = m_kit.user(server, u"carol"_s);
        QVERIFY(alice && bob && carol);

        for (int i = 0; i < 3; ++i)
            exchange(*alice, *bob, "burst " + QByteArray::number(i));
        const QByteArray limitedId = randomMsgId();
        const auto limited = alice->c(0).request(FrameBuilder::sendTo(bob->name, "one too many", limitedId));
        QVERIFY(limited);
        QCOMPARE(LiveTestKit::errorOf(limited), proto::RATE_LIMITED);
        QVERIFY(limited->error().retry_after_ms() > 0);
        QVERIFY(limited->error().retry_after_ms() <= 60000);
        // Alice's other device shares her budget.
        const auto fromPhone
            = alice->c(1).request(FrameBuilder::sendTo(bob->name, "from the phone", randomMsgId()));
        QCOMPARE(LiveTestKit::errorOf(fromPhone), proto::RATE_LIMITED);

        // Carol and Bob carry on, both ways.
        for (int i = 0; i < 3; ++i) {
            exchange(*carol, *bob, "carol " + QByteArray::number(i));
            exchange(*bob, *carol, "bob " + QByteArray::number(i));
        }
        // The refused message was not stored: Bob's mailbox holds the burst and Carol's messages.
        RawClient bobAgain;
        QVERIFY(bobAgain.open(server.url()) && bobAgain.hello());
        QVERIFY(bobAgain.resume(QString::fromStdString(bob->devices[0].session.token())));
        const auto mailbox = LiveTestKit::mailbox(bobAgain);
        QVERIFY(mailbox);
        int fromAlice = 0;
        for (const proto::MailboxEntry &entry : *mailbox) {
            QVERIFY(entry.message().client_msg_id() != limitedId.toStdString());
            fromAlice += entry.message().sender() == alice->name.toStdString();
        }
        QCOMPARE(fromAlice, 3);
        QCOMPARE(metric(server, u"chattermesh_rejected_requests_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"code"_s, u"RATE_LIMITED"_s } }),
            2.0);
        QCOMPARE(server.terminate(), 0);
    }

    // --login-free-attempts: an account that failed too often is locked out, exponentially; during
    // the lockout even the right password is refused with TOO_MANY_ATTEMPTS and retry_after_ms, from
    // any connection. Other accounts, and sessions already open, are not affected. (The lockout's
    // expiry and doubling are driven by an injected clock in tst_LoginThrottle.)
    void loginLockoutPerAccount()
    {
        ServerProcess server(kFastKdf
            + QStringList { u"--login-free-attempts"_s, u"2"_s, u"--login-free-attempts-per-address"_s,
                u"1000"_s, u"--login-lockout-seconds"_s, u"3600"_s });
        QVERIFY(server.start());
        const auto alice = m_kit.user(server, u"alice"_s);
        const auto bob = m_kit.user(server, u"bob"_s);
        const auto carol = m_kit.user(server, u"carol"_s);
        QVERIFY(alice && bob && carol);

        RawClient guesser;
        QVERIFY(guesser.open(server.url()) && guesser.hello());
        for (int i = 0; i < 3; ++i) { // two free failures; the third starts the lockout
            QVERIFY(!guesser.login(alice->name, u"wrong guess %1"_s.arg(i), u"phone"_s));
            QCOMPARE(LiveTestKit::errorOf(guesser.lastAnswer()), proto::INVALID_CREDENTIALS);
        }
        QVERIFY(!guesser.login(alice->name, LiveTestKit::kPassword, u"phone"_s));
        QCOMPARE(LiveTestKit::errorOf(guesser.lastAnswer()), proto::TOO_MANY_ATTEMPTS);
        QVERIFY(guesser.lastAnswer()->error().retry_after_ms() > 0);
        QVERIFY(guesser.lastAnswer()->error().retry_after_ms() <= 3600 * 1000);
        // Alice herself, on a fresh connection, waits too.
        RawClient owner;
        QVERIFY(owner.open(server.url()) && owner.hello());
        QVERIFY(!owner.login(alice->name, LiveTestKit::kPassword, u"tablet"_s));
        QCOMPARE(LiveTestKit::errorOf(owner.lastAnswer()), proto::TOO_MANY_ATTEMPTS);

        // Bob logs in from the same address; everyone's open sessions carry on.
        RawClient bobPhone;
        QVERIFY(bobPhone.open(server.url()) && bobPhone.hello());
        QVERIFY(bobPhone.login(bob->name, LiveTestKit::kPassword, u"phone"_s));
        exchange(*carol, *bob, "carol to bob");
        exchange(*bob, *carol, "bob to carol");
        exchange(*alice, *carol, "alice is still signed in");

        QCOMPARE(metric(server, u"chattermesh_rejected_requests_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"code"_s, u"TOO_MANY_ATTEMPTS"_s } }),
            2.0);
        QCOMPARE(metric(server, u"chattermesh_auth_failures_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"reason"_s, u"too_many_attempts"_s } }),
            2.0);
        QCOMPARE(metric(server, u"chattermesh_auth_failures_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"reason"_s, u"invalid_credentials"_s } }),
            3.0);
        QCOMPARE(server.terminate(), 0);
    }

    // --login-free-attempts-per-address: failures against many accounts from one address lock the
    // address out of Login; Resume (a token, not a guess) still works, as do open sessions.
    void loginLockoutPerAddress()
    {
        ServerProcess server(kFastKdf
            + QStringList { u"--login-free-attempts"_s, u"100"_s, u"--login-free-attempts-per-address"_s,
                u"3"_s, u"--login-lockout-seconds"_s, u"3600"_s });
        QVERIFY(server.start());
        const auto bob = m_kit.user(server, u"bob"_s);
        const auto carol = m_kit.user(server, u"carol"_s);
        QVERIFY(bob && carol);

        RawClient sprayer;
        QVERIFY(sprayer.open(server.url()) && sprayer.hello());
        for (int i = 0; i < 4; ++i) {
            QVERIFY(!sprayer.login(u"nobody%1"_s.arg(i), LiveTestKit::kPassword, u"phone"_s));
            QCOMPARE(LiveTestKit::errorOf(sprayer.lastAnswer()), proto::INVALID_CREDENTIALS);
        }
        RawClient carolPhone;
        QVERIFY(carolPhone.open(server.url()) && carolPhone.hello());
        QVERIFY(!carolPhone.login(carol->name, LiveTestKit::kPassword, u"phone"_s));
        QCOMPARE(LiveTestKit::errorOf(carolPhone.lastAnswer()), proto::TOO_MANY_ATTEMPTS);
        QVERIFY(carolPhone.lastAnswer()->error().retry_after_ms() > 0);

        exchange(*carol, *bob, "carol to bob");
        exchange(*bob, *carol, "bob to carol");
        RawClient bobAgain;
        QVERIFY(bobAgain.open(server.url()) && bobAgain.hello());
        QVERIFY(bobAgain.resume(QString::fromStdString(bob->devices[0].session.token())));
        QCOMPARE(metric(server, u"chattermesh_rejected_requests_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"code"_s, u"TOO_MANY_ATTEMPTS"_s } }),
            1.0);
        QCOMPARE(server.terminate(), 0);
    }

    // Logins sent at once on many connections, none waiting for an answer. Password checks run in
    // parallel, but each admitted Login holds its place in the budget until its check ends, so no
    // more wrong passwords are checked than one after another would get: the free failures and the
    // one that starts the lockout. The rest get TOO_MANY_ATTEMPTS (with retry_after_ms) unchecked.
    // Per account (one username) and per address (a username each, all from 127.0.0.1).
    void parallelLoginsGetNoMoreGuesses_data()
    {
        QTest::addColumn<bool>("perAddress");
        QTest::newRow("one account") << false;
        QTest::newRow("one address") << true;
    }
    void parallelLoginsGetNoMoreGuesses()
    {
        QFETCH(bool, perAddress);
        constexpr int kFree = 2;
        constexpr int kGuessers = 12;
        const QString free = QString::number(kFree);
        ServerProcess server(kSlowerKdf
            + QStringList { u"--login-free-attempts"_s, perAddress ? u"1000"_s : free,
                u"--login-free-attempts-per-address"_s, perAddress ? free : u"1000"_s,
                u"--login-lockout-seconds"_s, u"3600"_s });
        QVERIFY(server.start());
        const auto alice = m_kit.user(server, u"alice"_s);
        const auto bob = m_kit.user(server, u"bob"_s);
        QVERIFY(alice && bob);

        std::vector<std::unique_ptr<RawClient>> guessers;
        for (int i = 0; i < kGuessers; ++i) {
            guessers.push_back(std::make_unique<RawClient>());
            QVERIFY(guessers.back()->open(server.url()) && guessers.back()->hello());
        }
        std::vector<quint64> ids;
        for (int i = 0; i < kGuessers; ++i) {
            proto::Frame login;
            login.mutable_login()->set_username(
                (perAddress ? u"limnobody%1"_s.arg(i) : alice->name).toStdString());
            login.mutable_login()->set_password("wrong guess " + std::to_string(i));
            login.mutable_login()->set_device_name("phone");
            ids.push_back(guessers[size_t(i)]->send(login));
        }
        exchange(*alice, *bob, "during the burst");
        int checked = 0;
        int refused = 0;
        for (int i = 0; i < kGuessers; ++i) {
            const quint64 id = ids[size_t(i)];
            const auto answer = LiveTestKit::waitFor(
                *guessers[size_t(i)], [id](const proto::Frame &f) { return f.request_id() == id; }, 60000);
            const proto::ErrorCode code = LiveTestKit::errorOf(answer);
            QVERIFY2(code == proto::INVALID_CREDENTIALS || code == proto::TOO_MANY_ATTEMPTS,
                answer ? proto::bodyName(*answer) : "no answer");
            if (code == proto::TOO_MANY_ATTEMPTS) {
                QVERIFY(answer->error().retry_after_ms() > 0);
                ++refused;
            } else {
                ++checked;
            }
        }
        qInfo("%d of %d Logins were checked", checked, kGuessers);
        QVERIFY2(checked >= kFree, "the free attempts were refused");
        QVERIFY2(checked <= kFree + 1, "parallel Logins got more guesses than the budget");
        QCOMPARE(checked + refused, kGuessers);
        exchange(*bob, *alice, "after the burst");
        QCOMPARE(metric(server, u"chattermesh_auth_failures_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"reason"_s, u"invalid_credentials"_s } }),
            double(checked));
        QCOMPARE(metric(server, u"chattermesh_auth_failures_total"_s,
                     { { u"protocol"_s, u"ws"_s }, { u"reason"_s, u"too_many_attempts"_s } }),
            double(refused));
        QCOMPARE(server.terminate(), 0);
    }

    // --hello-timeout-seconds, --auth-timeout-seconds, --idle-timeout-seconds: a connection that
    // says nothing is closed with 4002, one that never authenticates with 4003, and an authenticated
    // one that falls silent with 4004, each with its reason; busy connections are not touched.
    void helloAuthAndIdleTimeouts()
    {
        ServerProcess server(kFastKdf
            + QStringList { u"--hello-timeout-seconds"_s, u"1"_s, u"--auth-timeout-seconds"_s, u"2"_s,
                u"--heartbeat-seconds"_s, u"1"_s, u"--idle-timeout-seconds"_s, u"3"_s });
        QVERIFY(server.start());
        const auto alice = m_kit.user(server, u"alice"_s);
        const auto bob = m_kit.user(server, u"bob"_s);
        QVERIFY(alice && bob);

        RawClient mute; // no Hello
        QVERIFY(mute.open(server.url()));
        RawClient anonymous; // Hello, no session
        QVERIFY(anonymous.open(server.url()) && anonymous.hello());
        RawClient idle; // a session, then silence
        QVERIFY(idle.open(server.url()) && idle.hello());
        QVERIFY(idle.registerUser(u"limidle"_s, LiveTestKit::kPassword, u"laptop"_s));

        // Alice and Bob talk until all three are closed; each round waits for the next close, briefly.
        QDeadlineTimer bound(60000);
        int round = 0;
        for (RawClient *client : { &mute, &anonymous, &idle }) {
            while (!client->waitClosed(250)) {
                QVERIFY2(!bound.hasExpired(), "a timeout did not close its connection");
                exchange(*alice, *bob, "round " + QByteArray::number(++round));
                exchange(*bob, *alice, "reply " + QByteArray::number(round));
            }
        }
        QCOMPARE(mute.closeCode(), 4002);
        QCOMPARE(mute.closeReason(), u"hello timeout"_s);
        QCOMPARE(anonymous.closeCode(), 4003);
        QCOMPARE(anonymous.closeReason(), u"authentication timeout"_s);
        QCOMPARE(idle.closeCode(), 4004);
        QCOMPARE(idle.closeReason(), u"idle timeout"_s);
        QVERIFY(alice->c().isOpen() && bob->c().isOpen());
        exchange(*alice, *bob, "after the timeouts");
        for (const QString &reason : { u"hello_timeout"_s, u"auth_timeout"_s, u"idle_timeout"_s })
            QCOMPARE(metric(server, u"chattermesh_limit_closes_total"_s, { { u"reason"_s, reason } }), 1.0);
        QCOMPARE(server.terminate(), 0);
    }

    // --max-outbound-kb: a client that stops reading is cut (4005) once the server holds more than
    // that for it, without slowing anyone else; when it comes back it gets every message, in order,
    // from its mailbox.
    void slowConsumerIsCutAndCatchesUp()
    {
        ServerProcess server(kFastKdf + QStringList { u"--max-outbound-kb"_s, u"256"_s });
        QVERIFY(server.start());
        const auto alice = m_kit.user(server, u"alice"_s);
        const auto bob = m_kit.user(server, u"bob"_s);
        const auto carol = m_kit.user(server, u"carol"_s);
        QVERIFY(alice && bob && carol);
        QString token;
        const QString slowName = u"limslow"_s;
        {
            RawClient signup;
            QVERIFY(signup.open(server.url()) && signup.hello());
            const auto session = signup.registerUser(slowName, LiveTestKit::kPassword, u"laptop"_s);
            QVERIFY(session);
            token = QString::fromStdString(session->token());
            QVERIFY(signup.close());
        }
        SlowReader slow;
        QVERIFY(slow.connectTo(server.port()));
        const auto welcome = slow.request(FrameBuilder::hello());
        QVERIFY(welcome && welcome->has_welcome());
        proto::Frame resume;
        resume.mutable_resume()->set_token(token.toStdString());
        const auto session = slow.request(resume);
        QVERIFY(session && session->has_session());
        const auto batch = slow.request(FrameBuilder::sync(0));
        QVERIFY(batch && batch->has_sync_batch() && !batch->sync_batch().more()); // live
        slow.stopReading();

        // Alice floods the slow reader with large messages while Bob and Carol talk; until the cut.
        const auto cuts = [&] {
            return metric(
                server, u"chattermesh_limit_closes_total"_s, { { u"reason"_s, u"outbound_queue"_s } });
        };
        int sent = 0;
        while (cuts() < 1.0) {
            QVERIFY2(sent < 400, "the slow reader was never cut");
            for (int i = 0; i < 4; ++i, ++sent) {
                QByteArray body = "#" + QByteArray::number(sent) + "#";
                body.append(QByteArray(200 * 1024, 'x'));
                const auto ack = alice->c().request(FrameBuilder::sendTo(slowName, body, randomMsgId()));
                QVERIFY(ack && ack->has_ack());
                QCOMPARE(ack->ack().seq(), quint64(sent + 1));
            }
            exchange(*bob, *carol, "bob " + QByteArray::number(sent));
            exchange(*carol, *bob, "carol " + QByteArray::number(sent));
        }
        QCOMPARE(cuts(), 1.0);
        qInfo("cut after %d messages of 200 KiB", sent);
        // A few more after the cut: they wait in the mailbox too.
        for (int i = 0; i < 3; ++i, ++sent) {
            const QByteArray body = "#" + QByteArray::number(sent) + "#";
            const auto ack = alice->c().request(FrameBuilder::sendTo(slowName, body, randomMsgId()));
            QVERIFY(ack && ack->has_ack());
        }
        QVERIFY(server.logs().contains("cutting a slow reader"));

        // It comes back (as the same device) and reads: everything, in order, once.
        RawClient back;
        QVERIFY(back.open(server.url()) && back.hello());
        QVERIFY(back.resume(token));
        const auto mailbox = LiveTestKit::mailbox(back);
        QVERIFY(mailbox);
        QCOMPARE(int(mailbox->size()), sent);
        for (int i = 0; i < sent; ++i) {
            const proto::Message &message = mailbox->at(size_t(i)).message();
            QCOMPARE(message.seq(), quint64(i + 1));
            QVERIFY(
                QByteArray::fromStdString(message.payload()).startsWith("#" + QByteArray::number(i) + "#"));
        }
        exchange(*alice, *bob, "alice is fine");
        QCOMPARE(cuts(), 1.0); // the catch-up batch, far over the bound, was not cut
        QCOMPARE(server.terminate(), 0);
    }

    // The client's side of the send rate: RATE_LIMITED is retryable, so messages refused for it stay
    // in the outbox and go out after retry_after_ms — every one arrives, once, in order.
    void engineResendsRateLimitedMessages()
    {
        // A burst of 2, then one Send per 100 ms: most of a 12-message burst is refused at first.
        ServerProcess server(
            kFastKdf + QStringList { u"--send-rate"_s, u"600"_s, u"--send-burst"_s, u"2"_s });
        QTemporaryDir dir;
        QVERIFY(server.start() && dir.isValid());
        TestClient alice(dir.path(), u"alice"_s, server.url());
        TestClient bob(dir.path(), u"bob"_s, server.url());
        QVERIFY(alice.signUp(u"alice"_s) && bob.signUp(u"bob"_s));
        // Meanwhile a raw pair keeps talking on the same server.
        const auto carol = m_kit.user(server, u"carol"_s);
        const auto dave = m_kit.user(server, u"dave"_s);
        QVERIFY(carol && dave);

        constexpr int kCount = 12;
        for (int i = 0; i < kCount; ++i)
            QVERIFY(alice->sendText(u"bob"_s, u"m%1"_s.arg(i)).ok());
        exchange(*carol, *dave, "unaffected");
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(u"alice"_s).size(), kCount, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(alice.countState(u"bob"_s, core::MessageState::Delivered), kCount, 60000);
        const auto received = bob.all(u"alice"_s);
        for (int i = 0; i < kCount; ++i) {
            QCOMPARE(received[i].body, u"m%1"_s.arg(i));
            QCOMPARE(received[i].seq, qint64(i + 1));
        }
        QCOMPARE(bob.maxAnnouncements(), 1);
        QVERIFY(metric(server, u"chattermesh_rejected_requests_total"_s,
                    { { u"protocol"_s, u"ws"_s }, { u"code"_s, u"RATE_LIMITED"_s } })
            >= 1.0);
        exchange(*dave, *carol, "still unaffected");
    }
};

QTEST_GUILESS_MAIN(tst_ServerLimits)
#include "tst_ServerLimits.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Register, Login and Resume under duplicated frames (docs/protocol.md, *What a client must
// tolerate*, rule 6), against the real server: a copy of an auth request on the connection that
// carried it does not run again and gets no answer of its own. Each request gets one answer, each
// Login adds one device, and no Error comes for them — whether a raw client sends the same frame
// twice or the server's --faults dup=1.0 duplicates every frame both ways under real engines.
#include "BlockingHttp.h"
#include "LiveTestKit.h"
#include "PrometheusText.h"
#include "TestClient.h"

#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace chattermesh;
using namespace chattermesh::test;

namespace {

const QString kUser = u"dupalice"_s;
const QString kPassword = LiveTestKit::kPassword;

proto::Frame login(const QString &password, const QString &device)
{
    proto::Frame frame;
    frame.mutable_login()->set_username(kUser.toStdString());
    frame.mutable_login()->set_password(password.toStdString());
    frame.mutable_login()->set_device_name(device.toStdString());
    return frame;
}

proto::Frame resume(const std::string &token)
{
    proto::Frame frame;
    frame.mutable_resume()->set_token(token);
    return frame;
}

// Sends `frame` twice with one request_id, as a duplicating link would, and returns every frame
// that came for that id up to the Pong of a Ping sent once the first answer was in. The server
// handles a connection's frames in order, so an answer the copy got at once (an error) would be
// there; one that needed the store or the KDF would show in the devices or in the next request.
std::vector<proto::Frame> sendTwice(RawClient &client, proto::Frame frame)
{
    const quint64 id = client.send(frame);
    frame.set_request_id(id);
    client.send(frame);
    std::vector<proto::Frame> forId;
    const auto first
        = LiveTestKit::waitFor(client, [id](const proto::Frame &f) { return f.request_id() == id; });
    if (!first)
        return forId;
    forId.push_back(*first);
    const quint64 ping = client.send(FrameBuilder::ping(1));
    for (const proto::Frame &f : LiveTestKit::framesUntil(
             client, [ping](const proto::Frame &f) { return f.request_id() == ping && f.has_pong(); })) {
        if (f.request_id() == id)
            forId.push_back(f);
    }
    return forId;
}

std::optional<int> deviceCount(RawClient &client)
{
    const auto list = client.request(FrameBuilder::listDevices());
    if (!list || !list->has_device_list())
        return std::nullopt;
    return list->device_list().devices_size();
}

double metric(const ServerProcess &server, const QString &name, const PrometheusText::Labels &labels)
{
    BlockingHttp http;
    const auto reply = http.request("GET", server.assetUrl(u"/metrics"_s));
    PrometheusText text;
    return reply.status == 200 && text.parse(reply.body) ? text.value(name, labels) : -1;
}

// From the server's debug log: every error it sent in answer to an auth request it received
// ("conn 3 -> login #2" ... "conn 3 error INVALID_ARGUMENT #2"), and how many repeated ones it
// dropped. (A duplicated Hello is answered INVALID_ARGUMENT, "Hello was already sent": not an
// auth request, and harmless.)
QStringList authErrors(const QByteArray &logs, int *dropped)
{
    static const QRegularExpression request(u"conn (\\d+) -> (register|login|resume) #(\\d+)"_s);
    static const QRegularExpression error(u"conn (\\d+) error (\\w+) #(\\d+)"_s);
    static const QRegularExpression repeated(u"conn \\d+ repeated \\w+ #\\d+ dropped"_s);
    QSet<QString> auth;
    QStringList errors;
    *dropped = 0;
    for (const QString &line : QString::fromUtf8(logs).split(u'\n')) {
        if (const auto m = request.match(line); m.hasMatch())
            auth.insert(m.captured(1) + u'#' + m.captured(3));
        else if (const auto e = error.match(line);
                 e.hasMatch() && auth.contains(e.captured(1) + u'#' + e.captured(3)))
            errors.append(line);
        else if (repeated.match(line).hasMatch())
            ++*dropped;
    }
    return errors;
}

} // namespace

class tst_DuplicateAuth : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qunsetenv("QT_LOGGING_RULES"); }

    // The same frame twice over a raw connection: Register, Login, Resume, and a wrong password.
    void identicalFrameTwice()
    {
        // One free failure: a wrong password counted twice would lock the account.
        ServerProcess server({ u"--kdf-iterations"_s, u"1000"_s, u"--login-free-attempts"_s, u"1"_s });
        QVERIFY(server.start());

        RawClient signup;
        QVERIFY(signup.open(server.url()) && signup.hello());
        auto answers = sendTwice(signup, FrameBuilder::registerUser(kUser, kPassword, u"laptop"_s));
        QCOMPARE(answers.size(), size_t(1));
        QVERIFY2(answers[0].has_session(), proto::bodyName(answers[0]));
        const std::string token = answers[0].session().token();
        const quint64 laptopId = answers[0].session().device_id();
        QCOMPARE(deviceCount(signup), 1);

        RawClient phone;
        QVERIFY(phone.open(server.url()) && phone.hello());
        answers = sendTwice(phone, login(kPassword, u"phone"_s));
        QCOMPARE(answers.size(), size_t(1));
        QVERIFY2(answers[0].has_session(), proto::bodyName(answers[0]));
        QCOMPARE(deviceCount(phone), 2); // laptop and phone: the copy added none

        RawClient again;
        QVERIFY(again.open(server.url()) && again.hello());
        answers = sendTwice(again, resume(token));
        QCOMPARE(answers.size(), size_t(1));
        QVERIFY2(answers[0].has_session(), proto::bodyName(answers[0]));
        QCOMPARE(answers[0].session().device_id(), laptopId);

        // A wrong password twice is one guess: the right one afterwards is not locked out.
        RawClient tablet;
        QVERIFY(tablet.open(server.url()) && tablet.hello());
        answers = sendTwice(tablet, login(u"wrong password"_s, u"tablet"_s));
        QCOMPARE(answers.size(), size_t(1));
        QCOMPARE(LiveTestKit::errorOf(answers[0]), proto::INVALID_CREDENTIALS);
        QVERIFY(tablet.login(kUser, kPassword, u"tablet"_s));
        QCOMPARE(deviceCount(tablet), 3);

        for (const QString &code : { u"INVALID_ARGUMENT"_s, u"ALREADY_AUTHENTICATED"_s, u"USERNAME_TAKEN"_s })
            QCOMPARE(metric(server, u"chattermesh_rejected_requests_total"_s,
                         { { u"protocol"_s, u"ws"_s }, { u"code"_s, code } }),
                0.0);
        QCOMPARE(server.terminate(), 0);
    }

    // Real engines through a server that duplicates every frame, both ways: Register and Login
    // sign in without an error, one device each, and a message still arrives once.
    void enginesWhenEveryFrameIsDuplicated()
    {
        ServerProcess server({ u"--kdf-iterations"_s, u"1000"_s, u"--faults"_s, u"dup=1.0"_s,
            u"--faults-seed"_s, u"7"_s, u"--log-level"_s, u"debug"_s });
        QTemporaryDir dir;
        QVERIFY(server.start() && dir.isValid());
        QVERIFY(server.logs().contains("FAULT INJECTION ON"));
        TestClient laptop(dir.path(), u"laptop"_s, server.url());
        TestClient phone(dir.path(), u"phone"_s, server.url());
        TestClient bob(dir.path(), u"bob"_s, server.url());
        QVERIFY(laptop.open() && phone.open() && bob.open());
        QSignalSpy laptopFailed(laptop.engine(), &core::Engine::authFailed);
        QSignalSpy phoneFailed(phone.engine(), &core::Engine::authFailed);

        QVERIFY(laptop.signUp(kUser));
        QVERIFY(phone.signUp(kUser, false)); // Login
        QVERIFY(bob.signUp(u"dupbob"_s));
        QCOMPARE(laptopFailed.count(), 0);
        QCOMPARE(phoneFailed.count(), 0);
        QVERIFY(laptop->deviceId() != phone->deviceId());

        QSignalSpy listed(phone.engine(), &core::Engine::devicesListed);
        phone->listDevices();
        QVERIFY(listed.wait(20000));
        QCOMPARE(listed.first().at(0).value<QList<core::DeviceInfo>>().size(), 2);

        QVERIFY(bob->sendText(kUser, u"once"_s).ok());
        QTRY_COMPARE_WITH_TIMEOUT(laptop.all(u"dupbob"_s).size(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(phone.all(u"dupbob"_s).size(), 1, 20000);
        QCOMPARE(laptop.maxAnnouncements(), 1);
        QVERIFY(metric(server, u"chattermesh_faults_injected_total"_s,
                    { { u"kind"_s, u"dup"_s }, { u"direction"_s, u"in"_s } })
            > 0);
        int dropped = 0;
        const QStringList errors = authErrors(server.logs(), &dropped);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        QVERIFY(dropped >= 3); // at least the copies of the three sign-ins
        for (const QString &code : { u"ALREADY_AUTHENTICATED"_s, u"USERNAME_TAKEN"_s })
            QCOMPARE(metric(server, u"chattermesh_rejected_requests_total"_s,
                         { { u"protocol"_s, u"ws"_s }, { u"code"_s, code } }),
                0.0);
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_DuplicateAuth)
#include "tst_DuplicateAuth.moc"

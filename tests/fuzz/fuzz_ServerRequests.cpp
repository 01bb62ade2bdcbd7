// SPDX-License-Identifier: GPL-3.0-or-later
// Every server request handler, through the real path a WebSocket message takes (Server::onBinary,
// FrameDispatcher, the *Handler classes, the Store's writer thread on a real SQLite file), on an
// in-process connection. The first byte picks the phase the connection starts in (fresh, after
// Hello, signed in as alice, signed in as bob); the rest is a sequence of length-prefixed frames
// (FuzzInput::record), so the fuzzer reaches the handlers behind Hello and sign-in.
#include "ClientConnection.h"
#include "EventPump.h"
#include "FrameCodec.h"
#include "FuzzCheck.h"
#include "FuzzInput.h"
#include "QuietLogs.h"
#include "Server.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTemporaryDir>
#include <cstdlib>
#include <memory>

using namespace chattermesh;
using namespace chattermesh::server;
using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxFramesPerInput = 32;

struct World {
    QTemporaryDir dir;
    std::unique_ptr<Server> server;
    std::unique_ptr<fuzz::EventPump> pump;
    QByteArray aliceToken;
    QByteArray bobToken;
};
World *g_world = nullptr;

proto::Frame request(quint64 id, proto::Frame frame)
{
    frame.set_request_id(id);
    return frame;
}

// Every frame the server sends must decode; returns them.
QList<proto::Frame> decodeAll(const QList<QByteArray> &sent)
{
    QList<proto::Frame> frames;
    for (const QByteArray &bytes : sent) {
        const proto::FrameResult decoded = proto::decodeFrame(bytes, bytes.size());
        FUZZ_CHECK(decoded.ok(), "every frame the server sends decodes");
        frames.append(decoded.value());
    }
    return frames;
}

// One in-process connection and what it was sent.
class Link {
public:
    Link() : m_connection(g_world->server->openInProcess(u"192.0.2.7"_s))
    {
        QObject::connect(m_connection, &ClientConnection::sent, m_connection,
            [this](const QByteArray &bytes) { m_sent.append(bytes); });
    }
    ~Link()
    {
        if (m_connection) {
            m_connection->abort(); // the server forgets it when disconnected() arrives
            g_world->pump->run();
        }
    }

    QList<proto::Frame> receive(const QByteArray &bytes)
    {
        m_sent.clear();
        if (m_connection)
            m_connection->receive(bytes);
        g_world->pump->run();
        return decodeAll(std::exchange(m_sent, {}));
    }
    QList<proto::Frame> receive(const proto::Frame &frame) { return receive(proto::encodeFrame(frame)); }
    ClientConnection::Phase phase() const { return m_connection->phase(); }
    bool open() const { return m_connection && !m_connection->isClosing(); }

private:
    QPointer<ClientConnection> m_connection;
    QList<QByteArray> m_sent;
};

QByteArray tokenFrom(const QList<proto::Frame> &answers)
{
    for (const proto::Frame &f : answers)
        if (f.has_session())
            return QByteArray::fromStdString(f.session().token());
    return {};
}

proto::Frame hello()
{
    proto::Frame f;
    f.mutable_hello()->add_protocol_versions(proto::kProtocolVersion);
    f.mutable_hello()->set_client("fuzz");
    return request(1, f);
}

proto::Frame resume(const QByteArray &token)
{
    proto::Frame f;
    f.mutable_resume()->set_token(token.toStdString());
    return request(2, f);
}

// Register or Login (which adds a device) as one of the fixture's users; returns the token.
QByteArray signIn(const char *name, bool registering)
{
    Link s;
    s.receive(hello());
    proto::Frame f;
    proto::Register *r = registering ? f.mutable_register_() : nullptr;
    proto::Login *l = registering ? nullptr : f.mutable_login();
    (r ? r->mutable_username() : l->mutable_username())->assign(name);
    (r ? r->mutable_password() : l->mutable_password())->assign("correct horse");
    (r ? r->mutable_device_name() : l->mutable_device_name())->assign("fuzz");
    const QByteArray token = tokenFrom(s.receive(request(2, f)));
    FUZZ_CHECK(!token.isEmpty(), "the fixture's users sign in");
    return token;
}

// alice and bob, a 1:1 conversation between them (id 1) with a message in bob's mailbox, and a
// group of both (id 2): the seeds' Send, MarkRead, GroupChange and Sync frames find real targets.
void buildWorld()
{
    g_world->aliceToken = signIn("alice", true);
    g_world->bobToken = signIn("bob", true);
    Link alice;
    alice.receive(hello());
    alice.receive(resume(g_world->aliceToken));
    proto::Frame send;
    send.mutable_send()->set_client_msg_id(std::string(16, 'm'));
    send.mutable_send()->set_peer_username("bob");
    send.mutable_send()->set_payload("hello bob");
    const auto sent = alice.receive(request(3, send));
    FUZZ_CHECK(sent.size() == 1 && sent.first().has_ack(), "the fixture's message is stored");
    proto::Frame group;
    group.mutable_create_group()->set_title("fuzzers");
    group.mutable_create_group()->add_members("bob");
    const auto created = alice.receive(request(4, group));
    FUZZ_CHECK(created.size() == 1 && created.first().has_ack(), "the fixture's group is created");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static int qtArgc = 1;
    static char name[] = "fuzz_ServerRequests";
    static char *qtArgv[] = { name, nullptr };
    new QCoreApplication(qtArgc, qtArgv);
    fuzz::quietLogs();
    g_world = new World;
    // The world lives until exit (libFuzzer exits without unwinding); its files must not outlive it.
    std::atexit([] { g_world->dir.remove(); });
    FUZZ_CHECK(g_world->dir.isValid(), "a temporary data directory");
    ServerConfig config;
    config.dataDir = g_world->dir.path();
    config.kdfIterations = 1; // the KDF is not under test; one iteration keeps Register and Login fast
    config.sendRatePerMinute = 0; // limits off: a bucket drained by earlier inputs would hide the handlers
    config.loginFreeAttempts = 0;
    config.loginFreeAttemptsPerAddress = 0;
    config.maxConnections = 0;
    g_world->server = std::make_unique<Server>(config);
    const auto started = g_world->server->start();
    FUZZ_CHECK(started.ok(), "the server starts");
    Server *server = g_world->server.get();
    g_world->pump = std::make_unique<fuzz::EventPump>([server] { return server->pendingStoreJobs() == 0; });
    buildWorld();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::FuzzInput input(data, size);
    Link session;
    switch (input.byte() % 4) {
    case 0:
        break;
    case 1:
        session.receive(hello());
        break;
    case 2:
    case 3: {
        const bool alice = size > 0 && data[0] % 4 == 2;
        QByteArray &token = alice ? g_world->aliceToken : g_world->bobToken;
        session.receive(hello());
        session.receive(resume(token));
        if (session.phase() != ClientConnection::Phase::Authenticated) {
            // An earlier input removed the device (RemoveDevice is fair game): sign in again, on a
            // new device, with the password.
            token = signIn(alice ? "alice" : "bob", false);
            session.receive(resume(token));
        }
        FUZZ_CHECK(session.phase() == ClientConnection::Phase::Authenticated, "the fixture's users resume");
        break;
    }
    }
    for (int i = 0; i < kMaxFramesPerInput && !input.atEnd() && session.open(); ++i) {
        const QByteArray bytes = input.record();
        const proto::FrameResult decoded = proto::decodeFrame(bytes, 1 << 20);
        const QList<proto::Frame> answers = session.receive(bytes);
        if (decoded.ok())
            continue;
        // Bad bytes are answered with the decoder's typed error, never taken as a request.
        const bool answered = std::any_of(answers.begin(), answers.end(),
            [&](const proto::Frame &f) { return f.has_error() && f.error().code() == decoded.error().code; });
        FUZZ_CHECK(answered, "an undecodable frame is answered with its typed error");
    }
    return 0;
}

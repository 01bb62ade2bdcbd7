// SPDX-License-Identifier: GPL-3.0-or-later
// The client's handling of what the server sends: bytes go in where the socket hands them over
// (sync::Connection::receive: decode, handshake, ping) and on to the engine (core::Engine::onFrame:
// sessions, acks, deliveries, sync batches, receipts, groups, keys, typing, presence), with a real
// SQLCipher store and real end-to-end keys. The engine is signed in once, by a Session frame, as a
// real sign-in leaves it; each input is then a sequence of length-prefixed frames (FuzzInput::record).
// The engine lives across inputs, like a client that stays connected to a hostile server.
#include "Engine.h"
#include "EventPump.h"
#include "FrameCodec.h"
#include "FuzzCheck.h"
#include "FuzzInput.h"
#include "QuietLogs.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <cstdlib>
#include <memory>

using namespace chattermesh;
using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxFramesPerInput = 32;
constexpr qsizetype kMaxFrameBytes = 8 * 1024 * 1024; // sync::Connection's default

struct World {
    QTemporaryDir dir;
    std::unique_ptr<core::Engine> engine;
    std::unique_ptr<fuzz::EventPump> pump;
    int framesPassedOn = 0; // frames the connection handed to the engine
};
World *g_world = nullptr;

void signIn()
{
    proto::Frame session;
    session.set_request_id(1);
    session.mutable_session()->set_user_id(1);
    session.mutable_session()->set_device_id(1);
    session.mutable_session()->set_username("alice");
    session.mutable_session()->set_token("fuzz-token");
    g_world->engine->connection()->receive(proto::encodeFrame(session));
    g_world->pump->run();
    FUZZ_CHECK(g_world->engine->username() == u"alice"_s, "the engine takes the session");
    FUZZ_CHECK(g_world->engine->status() == core::Engine::Status::Syncing, "a signed-in engine syncs");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static int qtArgc = 1;
    static char name[] = "fuzz_ClientFrames";
    static char *qtArgv[] = { name, nullptr };
    new QCoreApplication(qtArgc, qtArgv);
    fuzz::quietLogs();
    g_world = new World;
    // The world lives until exit (libFuzzer exits without unwinding); its files must not outlive it.
    std::atexit([] { g_world->dir.remove(); });
    FUZZ_CHECK(g_world->dir.isValid(), "a temporary directory");
    core::EngineOptions options;
    // Nothing listens there: whatever the engine tries to send goes nowhere, as on a dead link.
    options.serverUrl = QUrl(u"ws://127.0.0.1:9"_s);
    options.storePath = g_world->dir.filePath(u"client.db"_s);
    options.key = core::DbKey::raw(QByteArray(32, '\x42'));
    options.minBackoffMs = 3600 * 1000; // never reconnects while fuzzing
    options.maxBackoffMs = 3600 * 1000;
    // Unencrypted payloads (type 0) reach content parsing; ciphertext the fuzzer cannot forge
    // would stop at decryption.
    options.acceptUnencrypted = true;
    g_world->engine = std::make_unique<core::Engine>(options);
    const auto opened = g_world->engine->open();
    FUZZ_CHECK(opened.ok(), "the client store opens");
    QObject::connect(g_world->engine->connection(), &sync::Connection::frameReceived, g_world->engine.get(),
        [] { ++g_world->framesPassedOn; });
    g_world->pump = std::make_unique<fuzz::EventPump>([] { return true; });
    signIn();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::FuzzInput input(data, size);
    core::Engine &engine = *g_world->engine;
    // An earlier input's Error answered the sign-in, or a Session for another user was refused:
    // sign in again, so that every input meets a signed-in engine.
    if (engine.status() == core::Engine::Status::SignedOut)
        signIn();
    for (int i = 0; i < kMaxFramesPerInput && !input.atEnd(); ++i) {
        const QByteArray bytes = input.record();
        const quint64 cursorBefore = engine.inboxCursor();
        const int passedBefore = g_world->framesPassedOn;
        engine.connection()->receive(bytes);
        g_world->pump->run();
        const proto::FrameResult decoded = proto::decodeFrame(bytes, kMaxFrameBytes);
        // What does not decode is dropped at the door: the engine never sees half a frame.
        if (!decoded.ok())
            FUZZ_CHECK(g_world->framesPassedOn == passedBefore, "an undecodable frame reaches nobody");
        // Mailbox order: the cursor of what was accepted only moves forward (docs/delivery.md).
        FUZZ_CHECK(engine.inboxCursor() >= cursorBefore, "the inbox cursor never goes back");
    }
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// The asset service's request parsing and upload state (docs/media.md): JSON bodies of create and
// finish, ?offset= of a chunk, Range of a download, the bearer header, over a real assets table and
// real blob files. Each input is a sequence of operations; every answer must be a typed reply that
// agrees with what the service was told before, never a storage failure.
#include "AssetAuthenticator.h"
#include "AssetDatabase.h"
#include "AssetFiles.h"
#include "AssetRequests.h"
#include "ByteRange.h"
#include "FuzzCheck.h"
#include "FuzzInput.h"
#include "QuietLogs.h"
#include "ServerConfig.h"
#include "SqliteBackend.h"
#include "Store.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <cstdlib>
#include <memory>

using namespace chattermesh;
using namespace chattermesh::server;
using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxOperationsPerInput = 24;
constexpr qint64 kNowMs = 1'800'000'000'000;

struct World {
    QTemporaryDir dir;
    ServerConfig config;
    AssetDatabase database;
    std::unique_ptr<AssetFiles> files;
    std::unique_ptr<AssetRequests> requests;
    std::unique_ptr<AssetAuthenticator> authenticator;
};
World *g_world = nullptr;

QJsonObject jsonOf(const AssetReply &reply)
{
    return QJsonDocument::fromJson(reply.body()).object();
}

void checkReply(const AssetReply &reply)
{
    static const QList<int> known = { 200, 201, 204, 206, 400, 403, 404, 409, 413, 416, 422 };
    FUZZ_CHECK(
        known.contains(reply.status()), "a known status, and never 500: bad input is not a storage failure");
    const bool failed = reply.status() >= 400;
    FUZZ_CHECK(failed == (reply.errorCode()[0] != '\0'), "an error status carries its code, success none");
    if (failed)
        FUZZ_CHECK(jsonOf(reply).value(u"error"_s).toString() == QString::fromLatin1(reply.errorCode()),
            "an error body names its code");
}

QByteArray headerOf(const AssetReply &reply, const QByteArray &name)
{
    for (const auto &[key, value] : reply.headers())
        if (key == name)
            return value;
    return {};
}

// The upload an input is working on: what create answered and the offsets seen since.
struct Upload {
    QString id;
    qint64 size = 0;
    qint64 offset = 0;
};

class Session {
public:
    explicit Session(fuzz::FuzzInput &input) : m_input(input) { }

    void step()
    {
        const uint8_t op = m_input.byte();
        const AssetCaller caller { quint64(1 + (op >> 7)), 1 };
        switch (op % 8) {
        case 0: {
            const AssetReply reply = g_world->requests->create(caller, m_input.record(), kNowMs);
            checkReply(reply);
            if (reply.status() == 201) {
                const QJsonObject body = jsonOf(reply);
                m_uploads.append(
                    { body.value(u"id"_s).toString(), qint64(body.value(u"size"_s).toDouble()), 0 });
                FUZZ_CHECK(m_uploads.last().size > 0 && !m_uploads.last().id.isEmpty(),
                    "a created asset has an id and a size");
            }
            break;
        }
        case 1: {
            Upload *upload = pick();
            const QString id = idOf(upload);
            const QUrlQuery query(QString::fromUtf8(m_input.record()));
            const QByteArray body = m_input.record();
            const AssetReply reply = g_world->requests->put(caller, id, query, body, kNowMs);
            checkReply(reply);
            if (reply.status() == 200 && upload) {
                const qint64 offset = qint64(jsonOf(reply).value(u"offset"_s).toDouble());
                FUZZ_CHECK(offset == upload->offset + body.size(), "a chunk lands where the upload stood");
                FUZZ_CHECK(offset <= upload->size, "nothing is stored past the declared size");
                upload->offset = offset;
            }
            break;
        }
        case 2: {
            Upload *upload = pick();
            const AssetReply reply = g_world->requests->offset(idOf(upload));
            checkReply(reply);
            if (reply.status() == 200 && upload)
                FUZZ_CHECK(qint64(jsonOf(reply).value(u"offset"_s).toDouble()) == upload->offset,
                    "the offset is what the chunks added up to");
            break;
        }
        case 3: {
            Upload *upload = pick();
            const AssetReply reply
                = g_world->requests->finish(caller, idOf(upload), m_input.record(), kNowMs);
            checkReply(reply);
            if (reply.status() == 200 && upload)
                FUZZ_CHECK(upload->offset == upload->size, "only a complete upload finishes");
            break;
        }
        case 4: {
            Upload *upload = pick();
            const AssetReply reply = g_world->requests->download(idOf(upload), m_input.record());
            checkReply(reply);
            if (reply.status() == 200 && upload)
                FUZZ_CHECK(reply.body().size() == upload->size, "a whole download is the whole asset");
            if (reply.status() == 206) {
                const QByteArray range = headerOf(reply, "Content-Range");
                const qsizetype dash = range.indexOf('-');
                const qsizetype slash = range.indexOf('/');
                FUZZ_CHECK(range.startsWith("bytes ") && dash > 6 && slash > dash,
                    "a partial answer says its range");
                const qint64 first = range.mid(6, dash - 6).toLongLong();
                const qint64 last = range.mid(dash + 1, slash - dash - 1).toLongLong();
                FUZZ_CHECK(reply.body().size() == last - first + 1, "the range header matches the bytes");
            }
            break;
        }
        case 5: {
            Upload *upload = pick();
            const AssetReply reply = g_world->requests->remove(caller, idOf(upload));
            checkReply(reply);
            if (reply.status() == 204 && upload) {
                const QString gone = upload->id;
                m_uploads.removeIf([&gone](const Upload &u) { return u.id == gone; });
            }
            break;
        }
        case 6: {
            const auto caller = g_world->authenticator->authenticate(m_input.record(), kNowMs);
            // No token was ever issued in this world: whatever the header, it is refused, typed.
            FUZZ_CHECK(!caller.ok() && caller.error().code == AssetError::InvalidToken,
                "a made-up token is refused");
            break;
        }
        case 7: {
            const QByteArray header = m_input.record();
            const qint64 size = qint64(m_input.u16()) * (1 + m_input.byte());
            const qint64 chunk = 1 + m_input.u16();
            const ByteRange range = ByteRange::parse(header, size, chunk);
            if (range.status() == ByteRange::Status::None)
                FUZZ_CHECK(header.isEmpty(), "no range only without a header");
            if (range.status() == ByteRange::Status::Ok)
                FUZZ_CHECK(range.first() >= 0 && range.first() <= range.last() && range.last() < size
                        && range.length() <= chunk,
                    "a range lies inside the blob and one chunk");
            break;
        }
        }
    }

private:
    // One of this input's uploads, or none (the id then comes from the input: unknown, malformed,
    // or another caller's).
    Upload *pick()
    {
        const uint8_t which = m_input.byte();
        if (which >= 0x80 || m_uploads.isEmpty())
            return nullptr;
        return &m_uploads[which % m_uploads.size()];
    }
    QString idOf(const Upload *upload) { return upload ? upload->id : QString::fromUtf8(m_input.record()); }

    fuzz::FuzzInput &m_input;
    QList<Upload> m_uploads;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static int qtArgc = 1;
    static char name[] = "fuzz_AssetUpload";
    static char *qtArgv[] = { name, nullptr };
    new QCoreApplication(qtArgc, qtArgv);
    fuzz::quietLogs();
    g_world = new World;
    // The world lives until exit (libFuzzer exits without unwinding); its files must not outlive it.
    std::atexit([] { g_world->dir.remove(); });
    FUZZ_CHECK(g_world->dir.isValid(), "a temporary data directory");
    const QString path = g_world->dir.filePath(u"server.db"_s);
    {
        // The store creates the schema the asset service's own connection relies on.
        Store store(std::make_unique<SqliteBackend>(path));
        FUZZ_CHECK(store.start().ok(), "the schema is created");
        store.stop();
    }
    // Small limits, so that the fuzzer fills and finishes uploads within an input.
    ServerConfig &config = g_world->config;
    config.assetMaxImageBytes = 4096;
    config.assetMaxVideoBytes = 8192;
    config.assetMaxVoiceBytes = 2048;
    config.assetMaxFileBytes = 4096;
    config.assetChunkBytes = 1024;
    QString error;
    FUZZ_CHECK(g_world->database.open(path, &error), "the asset database opens");
    g_world->files = std::make_unique<AssetFiles>(g_world->dir.filePath(u"assets"_s));
    FUZZ_CHECK(g_world->files->prepare(), "the blob directory exists");
    g_world->requests = std::make_unique<AssetRequests>(config, g_world->database, *g_world->files);
    g_world->authenticator = std::make_unique<AssetAuthenticator>(g_world->database);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::FuzzInput input(data, size);
    Session session(input);
    for (int i = 0; i < kMaxOperationsPerInput && !input.atEnd(); ++i)
        session.step();
    return 0;
}

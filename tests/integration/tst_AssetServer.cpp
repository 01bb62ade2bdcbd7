// SPDX-License-Identifier: GPL-3.0-or-later
// The asset service of the real server over real HTTP (docs/media.md): uploads in chunks with
// resume, finish with digest, ranged downloads, every error of the contract, what lands on disk,
// and Send.asset_ids marking assets referenced.
#include "BlockingHttp.h"
#include "FrameBuilder.h"
#include "RawClient.h"
#include "ServerProcess.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace chattermesh;
using chattermesh::test::BlockingHttp;
using chattermesh::test::FrameBuilder;
using chattermesh::test::RawClient;
using chattermesh::test::ServerProcess;

namespace {

const QString kPassword = u"correct horse battery"_s;
constexpr qint64 kChunk = 64 * 1024; // --asset-chunk-kb 64 keeps the multi-chunk cases small
const QStringList kServerArgs { u"--kdf-iterations"_s, u"1000"_s, u"--asset-chunk-kb"_s, u"64"_s };

struct User {
    std::unique_ptr<RawClient> client;
    proto::Session session;
    QString name;
    QByteArray token() const { return QByteArray::fromStdString(session.token()); }
};

QByteArray randomBytes(qint64 size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray digestHex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

} // namespace

class tst_AssetServer : public QObject {
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    User m_alice, m_bob;

    bool signUp(ServerProcess &server, User &user, const QString &name)
    {
        user.name = name;
        user.client = std::make_unique<RawClient>();
        if (!user.client->open(server.url()) || !user.client->hello())
            return false;
        const auto session = user.client->registerUser(name, kPassword, u"laptop"_s);
        if (!session || session->token().empty())
            return false;
        user.session = *session;
        return true;
    }

    QUrl url(const QString &path) const { return m_server->assetUrl(path); }
    QUrl assetUrl(const QString &id, const QString &rest = {}) const
    {
        return url(u"/v1/assets/"_s + id + rest);
    }

    // POST /v1/assets; the id, or empty (with a failed check) when refused.
    QString create(BlockingHttp &http, const QString &kind, qint64 size)
    {
        const auto reply = http.request(
            "POST", url(u"/v1/assets"_s), json({ { u"kind"_s, kind }, { u"size"_s, double(size) } }));
        if (reply.status != 201) {
            qWarning("create answered %d %s", reply.status, reply.body.constData());
            return {};
        }
        return reply.json.value(u"id"_s).toString();
    }

    BlockingHttp::Reply put(BlockingHttp &http, const QString &id, qint64 offset, const QByteArray &bytes)
    {
        return http.request("PUT", assetUrl(id, u"?offset=%1"_s.arg(offset)), bytes);
    }

    BlockingHttp::Reply finish(BlockingHttp &http, const QString &id, const QByteArray &digest)
    {
        return http.request(
            "POST", assetUrl(id, u"/finish"_s), json({ { u"digest"_s, QString::fromLatin1(digest) } }));
    }

    // Uploads everything in chunks and finishes; the id, empty on failure.
    QString upload(BlockingHttp &http, const QByteArray &data, const QString &kind = u"file"_s)
    {
        const QString id = create(http, kind, data.size());
        if (id.isEmpty())
            return {};
        for (qint64 offset = 0; offset < data.size(); offset += kChunk) {
            const auto reply = put(http, id, offset, data.mid(offset, kChunk));
            if (reply.status != 200)
                return {};
        }
        return finish(http, id, digestHex(data)).status == 200 ? id : QString();
    }

    QString blobPath(const QString &id) const
    {
        return m_server->dataDir() + u"/assets/"_s + id.left(2) + u'/' + id;
    }

    QByteArray blob(const QString &id) const
    {
        QFile file(blobPath(id));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>(kServerArgs);
        QVERIFY(m_server->start());
        QVERIFY(m_server->assetPort() != 0);
        QVERIFY(m_server->assetPort() != m_server->port());
        QVERIFY(signUp(*m_server, m_alice, u"alice"_s));
        QVERIFY(signUp(*m_server, m_bob, u"bob"_s));
    }

    void cleanupTestCase() { QCOMPARE(m_server->terminate(), 0); }

    void sessionCarriesAssetPort()
    {
        QCOMPARE(m_alice.session.asset_port(), quint32(m_server->assetPort()));
        auto again = std::make_unique<RawClient>();
        QVERIFY(again->open(m_server->url()) && again->hello());
        const auto resumed = again->resume(QString::fromStdString(m_alice.session.token()));
        QVERIFY(resumed);
        QCOMPARE(resumed->asset_port(), quint32(m_server->assetPort()));
        m_alice.client = std::move(again); // the resume replaced (closed) the first connection
    }

    void roundTripWithRanges()
    {
        BlockingHttp alice(m_alice.token());
        const QByteArray data = randomBytes(3 * kChunk + 1234);
        const auto created = alice.request("POST", url(u"/v1/assets"_s),
            json({ { u"kind"_s, u"file"_s }, { u"size"_s, double(data.size()) } }));
        QCOMPARE(created.status, 201);
        const QString id = created.json.value(u"id"_s).toString();
        QCOMPARE(id.size(), 32);
        QVERIFY(QRegularExpression(u"^[0-9a-f]{32}$"_s).match(id).hasMatch());
        QCOMPARE(created.json.value(u"size"_s).toInteger(), data.size());
        QCOMPARE(created.json.value(u"chunk"_s).toInteger(), kChunk);

        for (qint64 offset = 0; offset < data.size(); offset += kChunk) {
            const auto status = alice.request("GET", assetUrl(id, u"/offset"_s));
            QCOMPARE(status.status, 200);
            QCOMPARE(status.json.value(u"offset"_s).toInteger(), offset);
            QCOMPARE(status.json.value(u"size"_s).toInteger(), data.size());
            QCOMPARE(status.json.value(u"complete"_s).toBool(), false);
            const QByteArray piece = data.mid(offset, kChunk);
            const auto reply = put(alice, id, offset, piece);
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.json.value(u"offset"_s).toInteger(), offset + piece.size());
        }
        const auto finished = finish(alice, id, digestHex(data));
        QCOMPARE(finished.status, 200);
        QCOMPARE(finished.json.value(u"id"_s).toString(), id);
        QCOMPARE(finished.json.value(u"size"_s).toInteger(), data.size());
        // A retried finish (lost answer) gets the same answer.
        QCOMPARE(finish(alice, id, digestHex(data)).status, 200);
        QCOMPARE(alice.request("GET", assetUrl(id, u"/offset"_s)).json.value(u"complete"_s).toBool(), true);

        // On disk: exactly the bytes received.
        QCOMPARE(blob(id), data);

        // Bob downloads it in ranges, "bytes=A-" answered with at most one chunk.
        BlockingHttp bob(m_bob.token());
        QByteArray downloaded;
        while (downloaded.size() < data.size()) {
            const auto part = bob.request("GET", assetUrl(id), {},
                { { "Range", "bytes=" + QByteArray::number(downloaded.size()) + '-' } });
            QCOMPARE(part.status, 206);
            QVERIFY(part.body.size() <= kChunk);
            QCOMPARE(part.contentRange,
                "bytes " + QByteArray::number(downloaded.size()) + '-'
                    + QByteArray::number(downloaded.size() + part.body.size() - 1) + '/'
                    + QByteArray::number(data.size()));
            downloaded += part.body;
        }
        QCOMPARE(downloaded, data);

        const auto middle = bob.request("GET", assetUrl(id), {}, { { "Range", "bytes=100-199" } });
        QCOMPARE(middle.status, 206);
        QCOMPARE(middle.body, data.mid(100, 100));
        QCOMPARE(middle.contentRange, "bytes 100-199/" + QByteArray::number(data.size()));
        // No Range on an asset bigger than a chunk: the first chunk.
        const auto first = bob.request("GET", assetUrl(id));
        QCOMPARE(first.status, 206);
        QCOMPARE(first.body, data.left(kChunk));
    }

    void smallAssetWhole()
    {
        BlockingHttp alice(m_alice.token());
        const QByteArray data = randomBytes(5000);
        const QString id = upload(alice, data, u"voice"_s);
        QVERIFY(!id.isEmpty());
        const auto whole = alice.request("GET", assetUrl(id));
        QCOMPARE(whole.status, 200);
        QCOMPARE(whole.body, data);
        QVERIFY(whole.contentRange.isEmpty());
    }

    void resumeAfterDroppedUpload()
    {
        BlockingHttp alice(m_alice.token());
        const QByteArray data = randomBytes(2 * kChunk + 10);
        const QString id = create(alice, u"video"_s, data.size());
        QVERIFY(!id.isEmpty());
        QCOMPARE(put(alice, id, 0, data.left(kChunk)).status, 200);

        // The second chunk's connection dies halfway through its body.
        QTcpSocket socket;
        QSignalSpy connected(&socket, &QTcpSocket::connected);
        socket.connectToHost(u"127.0.0.1"_s, m_server->assetPort());
        QVERIFY(connected.wait(10000));
        const QByteArray half = data.mid(kChunk, kChunk / 2);
        socket.write("PUT /v1/assets/" + id.toLatin1() + "?offset=" + QByteArray::number(kChunk)
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_alice.token()
            + "\r\nContent-Length: " + QByteArray::number(kChunk) + "\r\n\r\n" + half);
        QTRY_VERIFY_WITH_TIMEOUT(socket.bytesToWrite() == 0, 10000);
        socket.abort();

        // The client asks where to resume and carries on from there.
        const auto status = alice.request("GET", assetUrl(id, u"/offset"_s));
        QCOMPARE(status.status, 200);
        const qint64 resumeAt = status.json.value(u"offset"_s).toInteger();
        QCOMPARE(resumeAt, kChunk);
        for (qint64 offset = resumeAt; offset < data.size(); offset += kChunk)
            QCOMPARE(put(alice, id, offset, data.mid(offset, kChunk)).status, 200);
        QCOMPARE(finish(alice, id, digestHex(data)).status, 200);
        QCOMPARE(blob(id), data);
    }

    void offsetMismatch()
    {
        BlockingHttp alice(m_alice.token());
        const QString id = create(alice, u"file"_s, 1000);
        QVERIFY(!id.isEmpty());
        QCOMPARE(put(alice, id, 0, QByteArray(400, 'a')).status, 200);
        for (qint64 wrong : { qint64(0), qint64(300), qint64(500) }) {
            const auto reply = put(alice, id, wrong, QByteArray(100, 'b'));
            QCOMPARE(reply.status, 409);
            QCOMPARE(reply.error(), u"OFFSET_MISMATCH"_s);
            QCOMPARE(reply.json.value(u"offset"_s).toInteger(), 400);
        }
        QCOMPARE(blob(id), QByteArray(400, 'a'));
    }

    void tooLarge()
    {
        BlockingHttp alice(m_alice.token());
        const auto image = alice.request("POST", url(u"/v1/assets"_s),
            json({ { u"kind"_s, u"image"_s }, { u"size"_s, double(17 * 1024 * 1024) } }));
        QCOMPARE(image.status, 413);
        QCOMPARE(image.error(), u"TOO_LARGE"_s);
        // The same size is fine for a file (100 MiB).
        QVERIFY(!create(alice, u"file"_s, 17 * 1024 * 1024).isEmpty());

        const QString id = create(alice, u"file"_s, 2 * kChunk);
        QVERIFY(!id.isEmpty());
        const auto chunk = put(alice, id, 0, QByteArray(kChunk + 1, 'x'));
        QCOMPARE(chunk.status, 413);
        QCOMPARE(chunk.error(), u"TOO_LARGE"_s);
        QCOMPARE(blob(id).size(), 0);

        const QString small = create(alice, u"file"_s, 10);
        const auto past = put(alice, small, 0, QByteArray(11, 'x'));
        QCOMPARE(past.status, 413);
        QCOMPARE(past.error(), u"TOO_LARGE"_s);
    }

    void tokens()
    {
        BlockingHttp nobody;
        const auto missing = nobody.request(
            "POST", url(u"/v1/assets"_s), json({ { u"kind"_s, u"file"_s }, { u"size"_s, 1 } }));
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.error(), u"INVALID_TOKEN"_s);
        BlockingHttp forged("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        QCOMPARE(forged.request("GET", assetUrl(QString(32, u'a'), u"/offset"_s)).status, 401);
        QCOMPARE(nobody
                     .request("GET", assetUrl(QString(32, u'a')), {},
                         { { "Authorization", "Basic Zm9vOmJhcg==" } })
                     .error(),
            u"INVALID_TOKEN"_s);

        // A removed device's token stops working (it was never used over HTTP, so nothing caches it).
        RawClient phone;
        QVERIFY(phone.open(m_server->url()) && phone.hello());
        const auto session = phone.login(m_bob.name, kPassword, u"phone"_s);
        QVERIFY(session);
        const auto removed = m_bob.client->request(FrameBuilder::removeDevice(session->device_id()));
        QVERIFY(removed && removed->has_device_removed());
        BlockingHttp revoked(QByteArray::fromStdString(session->token()));
        const auto refused = revoked.request(
            "POST", url(u"/v1/assets"_s), json({ { u"kind"_s, u"file"_s }, { u"size"_s, 1 } }));
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.error(), u"INVALID_TOKEN"_s);
    }

    void otherUsers()
    {
        BlockingHttp alice(m_alice.token());
        BlockingHttp bob(m_bob.token());
        const QByteArray data = randomBytes(3000);
        const QString id = create(alice, u"image"_s, data.size());
        QVERIFY(!id.isEmpty());
        const auto bobPut = put(bob, id, 0, data);
        QCOMPARE(bobPut.status, 403);
        QCOMPARE(bobPut.error(), u"PERMISSION_DENIED"_s);
        QCOMPARE(put(alice, id, 0, data).status, 200);
        QCOMPARE(finish(bob, id, digestHex(data)).status, 403);
        QCOMPARE(finish(alice, id, digestHex(data)).status, 200);
        const auto bobDelete = bob.request("DELETE", assetUrl(id));
        QCOMPARE(bobDelete.status, 403);
        QCOMPARE(bobDelete.error(), u"PERMISSION_DENIED"_s);
        const auto download = bob.request("GET", assetUrl(id));
        QCOMPARE(download.status, 200);
        QCOMPARE(download.body, data);

        // The uploader deletes it: row and blob are gone.
        QCOMPARE(alice.request("DELETE", assetUrl(id)).status, 204);
        QVERIFY(!QFile::exists(blobPath(id)));
        QCOMPARE(m_server->sql(u"SELECT count(*) FROM assets WHERE id = '%1'"_s.arg(id)), QByteArray("0"));
        const auto gone = bob.request("GET", assetUrl(id));
        QCOMPARE(gone.status, 404);
        QCOMPARE(gone.error(), u"NOT_FOUND"_s);
        QCOMPARE(alice.request("DELETE", assetUrl(id)).status, 404);
    }

    void finishChecks()
    {
        BlockingHttp alice(m_alice.token());
        const QByteArray data = randomBytes(2000);
        const QString id = create(alice, u"file"_s, data.size());
        QVERIFY(!id.isEmpty());
        QCOMPARE(put(alice, id, 0, data.left(1000)).status, 200);
        const auto early = finish(alice, id, digestHex(data));
        QCOMPARE(early.status, 409);
        QCOMPARE(early.error(), u"INCOMPLETE"_s);
        QCOMPARE(put(alice, id, 1000, data.mid(1000)).status, 200);
        const auto wrong = finish(alice, id, digestHex("something else"));
        QCOMPARE(wrong.status, 422);
        QCOMPARE(wrong.error(), u"DIGEST_MISMATCH"_s);
        // Not finished, so not downloadable.
        const auto unfinished = alice.request("GET", assetUrl(id));
        QCOMPARE(unfinished.status, 404);
        QCOMPARE(unfinished.error(), u"NOT_FOUND"_s);
        QCOMPARE(finish(alice, id, digestHex(data)).status, 200);
        const auto after = put(alice, id, data.size(), QByteArray(1, 'x'));
        QCOMPARE(after.status, 409);
        QCOMPARE(after.error(), u"ALREADY_COMPLETE"_s);
    }

    void ranges()
    {
        BlockingHttp alice(m_alice.token());
        const QByteArray data = randomBytes(1000);
        const QString id = upload(alice, data);
        QVERIFY(!id.isEmpty());
        const auto past = alice.request("GET", assetUrl(id), {}, { { "Range", "bytes=1000-" } });
        QCOMPARE(past.status, 416);
        QCOMPARE(past.error(), u"RANGE_NOT_SATISFIABLE"_s);
        QCOMPARE(past.contentRange, QByteArray("bytes */1000"));
        const auto tail = alice.request("GET", assetUrl(id), {}, { { "Range", "bytes=990-5000" } });
        QCOMPARE(tail.status, 206);
        QCOMPARE(tail.body, data.mid(990));
        QCOMPARE(tail.contentRange, QByteArray("bytes 990-999/1000"));
        for (const QByteArray &bad : { QByteArray("bytes=-5"), QByteArray("bytes=5-1"),
                 QByteArray("items=0-1"), QByteArray("bytes=0-1,5-6") }) {
            const auto reply = alice.request("GET", assetUrl(id), {}, { { "Range", bad } });
            QCOMPARE(reply.status, 400);
            QCOMPARE(reply.error(), u"MALFORMED"_s);
        }
    }

    void malformed()
    {
        BlockingHttp alice(m_alice.token());
        const QList<QByteArray> bodies { "not json", "[1,2]", R"({"kind":"sticker","size":10})",
            R"({"kind":"file"})", R"({"kind":"file","size":-1})", R"({"kind":"file","size":1.5})",
            R"({"kind":"file","size":0})" };
        for (const QByteArray &body : bodies) {
            const auto reply = alice.request("POST", url(u"/v1/assets"_s), body);
            QVERIFY2(reply.status == 400, body.constData());
            QCOMPARE(reply.error(), u"MALFORMED"_s);
        }
        const auto badId = alice.request("GET", assetUrl(u"XYZ"_s, u"/offset"_s));
        QCOMPARE(badId.status, 400);
        QCOMPARE(badId.error(), u"MALFORMED"_s);
        const QString id = create(alice, u"file"_s, 10);
        const auto noOffset = alice.request("PUT", assetUrl(id), "0123456789");
        QCOMPARE(noOffset.status, 400);
        QCOMPARE(alice.request("PUT", assetUrl(id, u"?offset=-1"_s), "0").status, 400);
        QCOMPARE(finish(alice, id, "abc").status, 400);
        QCOMPARE(alice.request("GET", url(u"/v2/whatever"_s)).status, 404);
    }

    void tamperedBlobServedAsIs()
    {
        BlockingHttp alice(m_alice.token());
        const QByteArray data = randomBytes(4000);
        const QString id = upload(alice, data);
        QVERIFY(!id.isEmpty());
        QByteArray tampered = data;
        tampered[10] = char(tampered[10] ^ 0xff);
        {
            QFile file(blobPath(id));
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.seek(10));
            QCOMPARE(file.write(tampered.mid(10, 1)), 1);
        }
        const auto reply = alice.request("GET", assetUrl(id));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, tampered); // the server does not re-verify; clients check the digest
    }

    void sendMarksReferenced()
    {
        BlockingHttp alice(m_alice.token());
        BlockingHttp bob(m_bob.token());
        const QString finished = upload(alice, randomBytes(100));
        const QString unfinished = create(alice, u"file"_s, 100);
        const QString bobs = upload(bob, randomBytes(100));
        QVERIFY(!finished.isEmpty() && !unfinished.isEmpty() && !bobs.isEmpty());

        proto::Frame frame = FrameBuilder::sendTo(m_bob.name, "a photo", test::randomMsgId());
        for (const QString &id : { finished, unfinished, bobs, QString(32, u'0') })
            frame.mutable_send()->add_asset_ids(id.toStdString());
        const auto ack = m_alice.client->request(frame);
        QVERIFY2(ack && ack->has_ack(), ack ? proto::bodyName(*ack) : "no answer");
        const QString query
            = u"SELECT id FROM assets WHERE referenced_ms > 0 AND id IN ('%1','%2','%3')"_s.arg(
                finished, unfinished, bobs);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->sql(query), finished.toLatin1(), 10000);

        proto::Frame bad = FrameBuilder::sendTo(m_bob.name, "bad id", test::randomMsgId());
        bad.mutable_send()->add_asset_ids("NOT-AN-ID");
        const auto refused = m_alice.client->request(bad);
        QVERIFY(refused && refused->has_error());
        QCOMPARE(
            proto::ErrorCode_Name(refused->error().code()), proto::ErrorCode_Name(proto::INVALID_ARGUMENT));
    }

    // An expired token is refused like an unknown one (--token-ttl-seconds 0: born expired).
    void expiredToken()
    {
        ServerProcess server(kServerArgs + QStringList { u"--token-ttl-seconds"_s, u"0"_s });
        QVERIFY(server.start());
        User dave;
        QVERIFY(signUp(server, dave, u"dave"_s));
        BlockingHttp http(dave.token());
        const auto reply = http.request(
            "POST", server.assetUrl(u"/v1/assets"_s), json({ { u"kind"_s, u"file"_s }, { u"size"_s, 10 } }));
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.error(), u"INVALID_TOKEN"_s);
        dave.client.reset();
        QCOMPARE(server.terminate(), 0);
    }

    // The sweep runs once at start: an upload idle past the TTL is gone (row and blob) after a restart.
    void sweepAtStart()
    {
        ServerProcess server(kServerArgs);
        QVERIFY(server.start());
        User carol;
        QVERIFY(signUp(server, carol, u"carol"_s));
        BlockingHttp http(carol.token());
        const auto stale = http.request(
            "POST", server.assetUrl(u"/v1/assets"_s), json({ { u"kind"_s, u"file"_s }, { u"size"_s, 10 } }));
        const auto fresh = http.request(
            "POST", server.assetUrl(u"/v1/assets"_s), json({ { u"kind"_s, u"file"_s }, { u"size"_s, 10 } }));
        QCOMPARE(stale.status, 201);
        QCOMPARE(fresh.status, 201);
        const QString staleId = stale.json.value(u"id"_s).toString();
        const QString freshId = fresh.json.value(u"id"_s).toString();
        carol.client.reset();
        QCOMPARE(server.terminate(), 0);
        // Idle for 25 hours as far as the row says (the default TTL is 24).
        const qint64 longAgo = QDateTime::currentMSecsSinceEpoch() - qint64(25) * 3600 * 1000;
        server.sql(
            u"UPDATE assets SET active_ms = %1, created_ms = %1 WHERE id = '%2'"_s.arg(longAgo).arg(staleId));
        const QString stalePath = server.dataDir() + u"/assets/"_s + staleId.left(2) + u'/' + staleId;
        QVERIFY(QFile::exists(stalePath));
        QVERIFY(server.start(server.dataDir()));
        QTRY_COMPARE_WITH_TIMEOUT(server.sql(u"SELECT id FROM assets"_s), freshId.toLatin1(), 10000);
        QVERIFY(!QFile::exists(stalePath));
        QCOMPARE(server.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AssetServer)
#include "tst_AssetServer.moc"

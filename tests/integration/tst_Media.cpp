// SPDX-License-Identifier: GPL-3.0-or-later
// Shared media through the real server's asset service, real SQLCipher stores and real libsignal
// sessions: only ciphertext reaches the server, a tampered blob is refused before anything is shown,
// over-limit files and bad tokens get their typed errors, an upload killed at about 60% resumes from
// the server's offset after the client restarts, and text is not held up behind a large upload.
#include "MediaTestKit.h"
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>

using namespace chattermesh;
using namespace chattermesh::core;
using namespace chattermesh::test;
using namespace Qt::StringLiterals;

namespace {

QStringList cliArgs(const QUrl &server, const QString &store, const QStringList &rest)
{
    return QStringList { u"--server"_s, server.toString(), u"--store"_s, store, u"--passphrase"_s,
        u"cli-pass"_s, u"--min-backoff-ms"_s, u"5"_s }
    + rest;
}

} // namespace

class tst_Media : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void imageArrivesEncryptedAndServerSeesOnlyCiphertext()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        // A real 1200×900 photo (noise: about 3 MB at quality 100) with the canary after its data.
        const QString photo
            = writeImage(dir.filePath(u"holiday.jpg"_s), { 1200, 900 }, "JPG", 1, kCanary.repeated(64));
        QVERIFY(!photo.isEmpty());
        const QByteArray plain = readAll(photo);
        QVERIFY(plain.contains(kCanary));
        QVERIFY(plain.size() > 1024 * 1024);

        auto sent = alice->sendMedia({ u"bob"_s }, photo, u"the beach"_s);
        QVERIFY(sent.ok());
        QCOMPARE(sent.value().kind, MessageKind::Media);
        QTRY_COMPARE_WITH_TIMEOUT(
            messageState(alice, sent.value().clientMsgId), MessageState::Delivered, 30000);

        const StoredMessage got = lastMedia(bob, u"alice"_s);
        QCOMPARE(got.clientMsgId, sent.value().clientMsgId);
        QCOMPARE(got.body, u"the beach"_s);
        const auto media = bob->mediaOf(got.localId);
        QVERIFY(media.has_value());
        QCOMPARE(media->kind(), content::Media::IMAGE);
        QCOMPARE(QString::fromStdString(media->mime_type()), u"image/jpeg"_s);
        QCOMPARE(QString::fromStdString(media->file_name()), u"holiday.jpg"_s);
        QCOMPARE(qint64(media->size()), plain.size());
        QCOMPARE(media->key().size(), size_t(64));
        // Described before it was sent, so the bubble can show before anything is downloaded.
        QCOMPARE(media->width(), 1200u);
        QCOMPARE(media->height(), 900u);
        const QImage thumb = QImage::fromData(QByteArray::fromStdString(media->thumbnail()), "JPG");
        QCOMPARE(thumb.size(), QSize(320, 240));

        QSignalSpy progress(bob.engine(), &Engine::transferProgress);
        bob->download(got.localId);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(bob, got.localId), TransferState::Done, 30000);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(media->blob_size()));
        auto bytes = bob->readMedia(got.localId);
        QVERIFY2(bytes.ok(), bytes.ok() ? "" : qPrintable(bytes.error().message));
        QCOMPARE(bytes.value(), plain);
        // The sender reads its own copy from its spool, without downloading.
        QCOMPARE(alice->readMedia(sent.value().localId).value(), plain);
        // Streaming reads decrypt on the fly.
        std::unique_ptr<QIODevice> stream(bob->openMedia(got.localId));
        QVERIFY(stream);
        QVERIFY(stream->seek(plain.size() / 2));
        QCOMPARE(stream->read(kCanary.size() * 3), plain.mid(plain.size() / 2, kCanary.size() * 3));

        // The canary: nothing of the plaintext is anywhere in the server's data dir. The blob is there,
        // ciphertext, exactly the announced size.
        const QString blob = blobPath(server.dataDir(), QString::fromStdString(media->asset_id()));
        QCOMPARE(QFileInfo(blob).size(), qint64(media->blob_size()));
        const QByteArray samples[] = { kCanary, plain.mid(1000, 32), plain.mid(plain.size() - 100, 32),
            plain.mid(2 * 1024 * 1024, 32) };
        int files = 0;
        for (const auto &[path, content] : everyFile(server.dataDir())) {
            ++files;
            for (const QByteArray &s : samples)
                QVERIFY2(!content.contains(s), qPrintable(u"plaintext found in "_s + path));
            QVERIFY2(!content.contains(QByteArray::fromStdString(media->key()).left(32)),
                qPrintable(u"the key found in "_s + path));
        }
        QVERIFY(files >= 2); // the database and the blob at least
        // The message named its asset, so the unreferenced sweep leaves it alone.
        QVERIFY(server.sql(u"SELECT referenced_ms > 0 FROM assets"_s) == QByteArray("1"));
        // Nor in either client's data dir, outside the encrypted store: spool and cache are ciphertext.
        for (const auto &[path, content] : everyFile(dir.path()))
            if (!path.endsWith(u".jpg"_s))
                QVERIFY2(!content.contains(kCanary), qPrintable(u"plaintext found in "_s + path));
    }

    void tamperedBlobIsRefusedAtDownload()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        const QString file = writeFile(dir.filePath(u"report.pdf"_s), 200'000, 2);
        auto sent = alice->sendMedia({ u"bob"_s }, file);
        QVERIFY(sent.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            messageState(alice, sent.value().clientMsgId), MessageState::Delivered, 30000);
        const StoredMessage got = lastMedia(bob, u"alice"_s);
        const auto media = bob->mediaOf(got.localId);
        QVERIFY(media.has_value());
        QCOMPARE(media->kind(), content::Media::FILE);

        // One byte changed on the server.
        QFile blob(blobPath(server.dataDir(), QString::fromStdString(media->asset_id())));
        QVERIFY(blob.open(QIODevice::ReadWrite));
        QVERIFY(blob.seek(100'000));
        char c = 0;
        QVERIFY(blob.getChar(&c));
        QVERIFY(blob.seek(100'000));
        QVERIFY(blob.putChar(char(c ^ 0x20)));
        blob.close();

        QSignalSpy changed(bob.engine(), &Engine::transferChanged);
        bob->download(got.localId);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(bob, got.localId), TransferState::Failed, 30000);
        const auto t = bob->transferOf(got.localId);
        QCOMPARE(t->error, MediaError::DigestMismatch);
        QVERIFY2(t->errorText.contains(u"digest"_s), qPrintable(t->errorText));
        QCOMPARE(changed.last().at(2).value<MediaError>(), MediaError::DigestMismatch);
        auto bytes = bob->readMedia(got.localId);
        QVERIFY(!bytes.ok());
        QCOMPARE(bytes.error().code, MediaError::NotFound);
        QVERIFY(!bob->openMedia(got.localId));
        QVERIFY(!QFile::exists(t->file));
        QVERIFY(!QFile::exists(t->file + u".part"_s));
    }

    void oversizeImageGetsItsTypedError()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        // A real PNG of noise, 2200×2000 with alpha: about 17 MiB, over the 16 MB image limit.
        const QString big = writeImage(dir.filePath(u"huge.png"_s), { 2200, 2000 }, "PNG", 3);
        QVERIFY(QFileInfo(big).size() > 16 * 1024 * 1024);
        auto sent = alice->sendMedia({ u"bob"_s }, big);
        QVERIFY(sent.ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(alice, sent.value().localId), TransferState::Failed, 30000);
        const auto t = alice->transferOf(sent.value().localId);
        QCOMPARE(t->error, MediaError::TooLarge);
        QCOMPARE(messageState(alice, sent.value().clientMsgId), MessageState::Failed);
        QCOMPARE(alice->outboxSize(), 0);
        // Nothing half-made stays on the server.
        QCOMPARE(server.sql(u"SELECT count(*) FROM assets"_s), QByteArray("0"));
        // A file that is missing is refused before anything is stored.
        auto missing = alice->sendMedia({ u"bob"_s }, dir.filePath(u"nope.png"_s));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, MediaError::SourceUnreadable);
    }

    void uploadWithoutValidTokenIsRefused()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        const QString file = writeFile(dir.filePath(u"a.bin"_s), 10'000, 4);
        // The worker alone, with a token the server never issued.
        TransferWorker worker(5, 50);
        worker.setEndpoint(alice->assetUrl(), QByteArrayLiteral("not-a-token"));
        QSignalSpy failed(&worker, &TransferWorker::failed);
        UploadJob job;
        job.message = 1;
        job.source = file;
        job.spool = dir.filePath(u"a.spool"_s);
        worker.upload(job);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.first().at(1).value<MediaError>(), MediaError::InvalidToken);
        QCOMPARE(server.sql(u"SELECT count(*) FROM assets"_s), QByteArray("0"));
    }

    void textIsNotHeldUpBehindALargeUpload()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        // One text, from send to the delivered tick on the sender.
        const auto ping = [&alice = alice]() -> double {
            QElapsedTimer t;
            t.start();
            const QByteArray id = alice->sendText(u"bob"_s, u"ping"_s).value().clientMsgId;
            if (!QTest::qWaitFor([&] { return messageState(alice, id) == MessageState::Delivered; }, 30000))
                return 1e9;
            return double(t.nsecsElapsed()) / 1e6;
        };
        const auto p99 = [](QList<double> v) {
            std::sort(v.begin(), v.end());
            return v.at(std::min<qsizetype>(v.size() - 1, qsizetype(double(v.size()) * 0.99)));
        };
        ping(); // the session exists before anything is measured
        QList<double> idle;
        for (int i = 0; i < 40; ++i)
            idle.append(ping());
        const QString video = writeFile(dir.filePath(u"film.webm"_s), 50 * 1024 * 1024, 6);
        auto big = alice->sendMedia({ u"bob"_s }, video);
        QVERIFY(big.ok());
        bool moving = false;
        connect(alice.engine(), &Engine::transferProgress, this, [&](qint64 id, qint64 done, qint64 total) {
            moving = id == big.value().localId && done < total;
        });
        QTRY_VERIFY_WITH_TIMEOUT(moving, 60000);
        QList<double> busy;
        while (stateOf(alice, big.value().localId) != TransferState::Done) {
            const double ms = ping();
            if (moving)
                busy.append(ms);
        }
        // Printed, not asserted: latencies depend on what else the host runs (a p99 comparison failed
        // CI under load). What is asserted is order: texts sent after the upload started reached
        // the delivered tick while it was still moving, one after another. Had they queued behind
        // the upload, the first would have been delivered only after its end, and none would count.
        qInfo() << "send->delivered p99 idle" << p99(idle) << "ms, during the upload" << p99(busy)
                << "ms over" << busy.size() << "texts";
        QVERIFY2(busy.size() >= 3,
            qPrintable(u"only %1 texts were delivered while the upload ran"_s.arg(busy.size())));
    }

    void killedUploadResumesFromTheServersOffset()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString store = dir.filePath(u"alice-cli.db"_s);
        QProcess reg;
        reg.start(QStringLiteral(CHATTERMESH_CLI_BIN),
            cliArgs(server.url(), store, { u"register"_s, u"alice"_s, u"correct horse battery"_s }));
        QVERIFY(reg.waitForFinished(60000));
        QCOMPARE(reg.exitCode(), 0);
        TestClient bob(dir.path(), u"bob"_s, server.url());
        QVERIFY(bob.signUp(u"bob"_s));

        const qint64 size = 50 * 1024 * 1024;
        const QString video = writeFile(dir.filePath(u"talk.mp4"_s), size, 5);
        QProcess sender;
        sender.start(QStringLiteral(CHATTERMESH_CLI_BIN),
            cliArgs(server.url(), store, { u"send-file"_s, u"bob"_s, video }));
        QVERIFY(sender.waitForStarted());
        // Kill -9 once the server has about 60% of it.
        QByteArray out;
        qint64 done = 0, total = 0;
        while (total == 0 || done < total * 6 / 10) {
            QVERIFY2(sender.waitForReadyRead(60000), out.right(500).constData());
            out += sender.readAllStandardOutput();
            const auto lines = out.split('\n');
            for (const QByteArray &line : lines) {
                const auto f = line.split('\t');
                if (f.size() >= 4 && f[0] == "progress") {
                    done = f[2].toLongLong();
                    total = f[3].toLongLong();
                }
            }
            QVERIFY2(!out.contains("uploaded"), "the upload finished before the kill");
        }
        sender.kill();
        QVERIFY(sender.waitForFinished(10000));
        const QByteArray assetId = server.sql(u"SELECT id FROM assets"_s);
        const qint64 serverOffset = server.sql(u"SELECT received FROM assets"_s).toLongLong();
        qInfo() << "killed at" << done << "of" << total << "; the server holds" << serverOffset;
        QVERIFY(serverOffset >= total / 2 && serverOffset < total);

        // Restart: `flush` resumes the upload, then sends the message.
        QProcess again;
        again.start(QStringLiteral(CHATTERMESH_CLI_BIN), cliArgs(server.url(), store, { u"flush"_s }));
        QVERIFY(again.waitForFinished(120000));
        const QByteArray resumedOut = again.readAllStandardOutput();
        QCOMPARE(again.exitCode(), 0);
        qint64 resumedAt = -1;
        qint64 lastDone = 0;
        for (const QByteArray &line : resumedOut.split('\n')) {
            const auto f = line.split('\t');
            if (f.size() >= 4 && f[0] == "resumed")
                resumedAt = f[2].toLongLong();
            if (f.size() >= 4 && f[0] == "progress")
                lastDone = f[2].toLongLong();
        }
        QVERIFY2(resumedOut.contains("uploaded"), resumedOut.right(500).constData());
        QCOMPARE(resumedAt, serverOffset);
        QCOMPARE(lastDone, total);
        const qint64 sentAfterResume = total - resumedAt;
        qInfo() << "bytes sent after the restart:" << sentAfterResume << "="
                << 100.0 * sentAfterResume / total << "%";
        QVERIFY(sentAfterResume <= total / 2);
        QCOMPARE(server.sql(u"SELECT id FROM assets"_s), assetId); // the same upload, not a new one

        QTRY_VERIFY_WITH_TIMEOUT(lastMedia(bob, u"alice"_s).localId > 0, 30000);
        const qint64 id = lastMedia(bob, u"alice"_s).localId;
        bob->download(id);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(bob, id), TransferState::Done, 60000);
        std::unique_ptr<QIODevice> stream(bob->openMedia(id));
        QVERIFY(stream);
        QCOMPARE(stream->size(), size);
        QFile original(video);
        QVERIFY(original.open(QIODevice::ReadOnly));
        while (!original.atEnd())
            QVERIFY(original.read(1 << 20) == stream->read(1 << 20));
    }
};

QTEST_GUILESS_MAIN(tst_Media)
#include "tst_Media.moc"

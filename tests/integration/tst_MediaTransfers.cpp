// SPDX-License-Identifier: GPL-3.0-or-later
// Controlling a transfer against the real server: pause and resume from the server's offset (upload)
// or from the partial file (download), cancel that leaves nothing behind, and a server that vanishes
// mid-upload, retried with backoff until it is back, then resumed where it stopped.
// Every step is driven by the engine's own signals, at a chosen fraction of the file.
#include "MediaTestKit.h"
#include "ServerProcess.h"

#include <QSignalSpy>

using namespace chattermesh;
using namespace chattermesh::core;
using namespace chattermesh::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kFileSize = 20 * 1024 * 1024; // 20 chunks

// Calls `action` once, from inside the engine's progress signal, when `localId` has moved 30%.
void atThirtyPercent(Engine *engine, QObject *context, const qint64 &localId, std::function<void()> action)
{
    auto fired = std::make_shared<bool>(false);
    QObject::connect(engine, &Engine::transferProgress, context,
        [fired, &localId, action](qint64 id, qint64 done, qint64 total) {
            if (!*fired && id == localId && done * 10 >= total * 3 && done < total) {
                *fired = true;
                action();
            }
        });
}

// A text from Alice to Bob, delivered: everything queued before it on both engines has run.
bool roundTrip(AliceAndBob &duo)
{
    auto sent = duo.alice->sendText(u"bob"_s, u"still there?"_s);
    return sent.ok()
        && QTest::qWaitFor(
            [&] { return messageState(duo.alice, sent.value().clientMsgId) == MessageState::Delivered; },
            30000);
}

bool sameBytes(TestClient &c, qint64 localId, const QString &original)
{
    std::unique_ptr<QIODevice> stream(c->openMedia(localId));
    QFile file(original);
    if (!stream || !file.open(QIODevice::ReadOnly) || stream->size() != file.size())
        return false;
    while (!file.atEnd())
        if (file.read(1 << 20) != stream->read(1 << 20))
            return false;
    return true;
}

// Alice's message is delivered, Bob downloads it, and it is byte for byte the original.
bool arrivesIntact(AliceAndBob &duo, const QByteArray &clientMsgId, const QString &original)
{
    if (!QTest::qWaitFor(
            [&] { return messageState(duo.alice, clientMsgId) == MessageState::Delivered; }, 30000))
        return false;
    const qint64 got = lastMedia(duo.bob, u"alice"_s).localId;
    duo.bob->download(got);
    return QTest::qWaitFor([&] { return stateOf(duo.bob, got) == TransferState::Done; }, 30000)
        && sameBytes(duo.bob, got, original);
}

} // namespace

class tst_MediaTransfers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pausedUploadResumesFromTheServersOffset()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const QString file = writeFile(duo.dir.filePath(u"clip.bin"_s), kFileSize, 11);
        qint64 id = 0;
        atThirtyPercent(duo.alice.engine(), this, id, [&] { duo.alice->pauseTransfer(id); });
        QSignalSpy started(duo.alice.engine(), &Engine::transferStarted);
        auto sent = duo.alice->sendMedia({ u"bob"_s }, file);
        QVERIFY(sent.ok());
        id = sent.value().localId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.alice, id), TransferState::Paused, 30000);

        // Paused means paused: a chunk already on the wire may still land, nothing after it.
        QVERIFY(roundTrip(duo));
        const qint64 held = duo.server.sql(u"SELECT received FROM assets"_s).toLongLong();
        QVERIFY(roundTrip(duo));
        QCOMPARE(duo.server.sql(u"SELECT received FROM assets"_s).toLongLong(), held);
        QCOMPARE(stateOf(duo.alice, id), TransferState::Paused);
        QCOMPARE(messageState(duo.alice, sent.value().clientMsgId), MessageState::Pending);
        QVERIFY(lastMedia(duo.bob, u"alice"_s).localId == 0);
        const qint64 blob = qint64(duo.alice->mediaOf(id)->blob_size());
        QVERIFY2(held >= blob * 3 / 10 && held < blob, qPrintable(QString::number(held)));

        started.clear();
        duo.alice->resumeTransfer(id);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.alice, id), TransferState::Done, 30000);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().at(1).toLongLong(), held); // from the server's offset, not from 0
        QCOMPARE(duo.server.sql(u"SELECT count(*) FROM assets"_s), QByteArray("1"));
        QVERIFY(arrivesIntact(duo, sent.value().clientMsgId, file));
    }

    void cancelledUploadLeavesNothingBehind()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const QString file = writeFile(duo.dir.filePath(u"clip.bin"_s), kFileSize, 12);
        qint64 id = 0;
        atThirtyPercent(duo.alice.engine(), this, id, [&] { duo.alice->cancelTransfer(id); });
        auto sent = duo.alice->sendMedia({ u"bob"_s }, file);
        QVERIFY(sent.ok());
        id = sent.value().localId;
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.alice, id), TransferState::Cancelled, 30000);
        QCOMPARE(duo.alice->transferOf(id)->error, MediaError::Cancelled);
        QCOMPARE(messageState(duo.alice, sent.value().clientMsgId), MessageState::Failed);

        // The server's partial upload is deleted, the spool too; Bob never hears of it.
        QTRY_COMPARE_WITH_TIMEOUT(duo.server.sql(u"SELECT count(*) FROM assets"_s), QByteArray("0"), 30000);
        QVERIFY(!QFile::exists(duo.alice->transferOf(id)->file));
        QVERIFY(roundTrip(duo));
        QCOMPARE(duo.alice->outboxSize(), 0);
        QVERIFY(lastMedia(duo.bob, u"alice"_s).localId == 0);
        // Cancelled is final: resume does not bring it back.
        duo.alice->resumeTransfer(id);
        QVERIFY(roundTrip(duo));
        QCOMPARE(stateOf(duo.alice, id), TransferState::Cancelled);
    }

    void serverLostMidUploadIsRetriedWithBackoffThenResumed()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const QString dataDir = duo.server.dataDir();
        const quint16 port = duo.server.port();
        const QString file = writeFile(duo.dir.filePath(u"clip.bin"_s), kFileSize, 13);
        qint64 id = 0;
        atThirtyPercent(duo.alice.engine(), this, id, [&] { duo.server.kill(); });
        QSignalSpy retrying(duo.alice.engine(), &Engine::transferRetrying);
        auto sent = duo.alice->sendMedia({ u"bob"_s }, file);
        QVERIFY(sent.ok());
        id = sent.value().localId;

        // While it is gone: retried, each wait at least as long as the one before (up to the cap).
        QTRY_VERIFY_WITH_TIMEOUT(retrying.size() >= 4, 30000);
        QVERIFY(!duo.server.running());
        int previous = 0;
        for (const auto &r : std::as_const(retrying)) {
            QCOMPARE(r.at(0).toLongLong(), id);
            QCOMPARE(r.at(1).value<MediaError>(), MediaError::Network);
            const int delay = r.at(3).toInt();
            QVERIFY2(delay >= previous || delay >= duo.alice.options().maxBackoffMs / 2,
                qPrintable(u"%1 after %2"_s.arg(delay).arg(previous)));
            previous = delay;
        }
        QCOMPARE(stateOf(duo.alice, id), TransferState::Uploading);
        const QByteArray asset = ServerProcess::sql(dataDir, u"SELECT id FROM assets"_s);
        const qint64 kept = ServerProcess::sql(dataDir, u"SELECT received FROM assets"_s).toLongLong();
        QVERIFY(!asset.isEmpty());

        // Back (its asset service on a new port, learnt from the new session): the same upload goes on.
        QSignalSpy started(duo.alice.engine(), &Engine::transferStarted);
        QVERIFY(duo.server.start(dataDir, port));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.alice, id), TransferState::Done, 60000);
        QCOMPARE(duo.server.sql(u"SELECT id FROM assets"_s), asset);
        qInfo() << "the server kept" << kept << "bytes; retries while it was gone:" << retrying.size();
        QVERIFY(arrivesIntact(duo, sent.value().clientMsgId, file));
    }

    void pausedDownloadResumesFromThePartialFile()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const QString file = writeFile(duo.dir.filePath(u"clip.bin"_s), kFileSize, 14);
        auto sent = duo.alice->sendMedia({ u"bob"_s }, file);
        QVERIFY(sent.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            messageState(duo.alice, sent.value().clientMsgId), MessageState::Delivered, 60000);
        const qint64 got = lastMedia(duo.bob, u"alice"_s).localId;
        QVERIFY(got > 0);

        atThirtyPercent(duo.bob.engine(), this, got, [&] { duo.bob->pauseTransfer(got); });
        duo.bob->download(got);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.bob, got), TransferState::Paused, 30000);
        QVERIFY(roundTrip(duo));
        const QString part = duo.bob->transferOf(got)->file + u".part"_s;
        const qint64 onDisk = QFileInfo(part).size();
        QVERIFY2(onDisk >= kFileSize * 3 / 10 && onDisk < kFileSize, qPrintable(QString::number(onDisk)));
        QVERIFY(!duo.bob->openMedia(got)); // nothing is readable before it is whole and verified

        QSignalSpy started(duo.bob.engine(), &Engine::transferStarted);
        duo.bob->resumeTransfer(got);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.bob, got), TransferState::Done, 30000);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().at(1).toLongLong(), onDisk);
        QVERIFY(sameBytes(duo.bob, got, file));
    }
};

QTEST_GUILESS_MAIN(tst_MediaTransfers)
#include "tst_MediaTransfers.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Videos and voice notes end to end through the real server: the sender describes them before
// sending (poster, dimensions, duration, waveform) and the receiver plays them with Qt Multimedia
// straight from the encrypted cache, through Engine::openMedia()'s decrypting reader.
// A QGuiApplication (offscreen): Qt 6.4 converts video frames to images nowhere else.
#include "MediaTestKit.h"
#include "ServerProcess.h"

#include <QAudioDecoder>
#include <QMediaPlayer>
#include <QSignalSpy>
#include <QVideoFrame>
#include <QVideoSink>

using namespace chattermesh;
using namespace chattermesh::core;
using namespace chattermesh::test;
using namespace Qt::StringLiterals;

namespace {

// Sends `path` from Alice to Bob, waits for it to arrive, downloads it on Bob's side.
// Returns Bob's local id of the message, or 0.
qint64 sendAndFetch(AliceAndBob &duo, const QString &path, Engine::MediaKindHint hint)
{
    auto sent = duo.alice->sendMedia({ u"bob"_s }, path, {}, hint);
    if (!sent.ok())
        return 0;
    const QByteArray id = sent.value().clientMsgId;
    if (!QTest::qWaitFor([&] { return messageState(duo.alice, id) == MessageState::Delivered; }, 30000))
        return 0;
    const StoredMessage got = lastMedia(duo.bob, u"alice"_s);
    if (got.clientMsgId != id)
        return 0;
    duo.bob->download(got.localId);
    if (!QTest::qWaitFor([&] { return stateOf(duo.bob, got.localId) == TransferState::Done; }, 30000))
        return 0;
    return got.localId;
}

} // namespace

class tst_MediaPlayback : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void videoArrivesWithItsPosterAndPlaysFromTheEncryptedCache()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const qint64 id = sendAndFetch(duo, mediaFixture(u"smpte.webm"_s), Engine::MediaKindHint::Auto);
        QVERIFY(id > 0);

        // What the bubble shows before any download: the fixture is 160×120, 1.0 s of SMPTE bars.
        const auto media = duo.bob->mediaOf(id);
        QVERIFY(media.has_value());
        QCOMPARE(media->kind(), content::Media::VIDEO);
        QCOMPARE(QString::fromStdString(media->mime_type()), u"video/webm"_s);
        QCOMPARE(media->width(), 160u);
        QCOMPARE(media->height(), 120u);
        QVERIFY2(media->duration_ms() >= 900 && media->duration_ms() <= 1100,
            qPrintable(QString::number(media->duration_ms())));
        const QImage poster = QImage::fromData(QByteArray::fromStdString(media->thumbnail()), "JPG");
        QCOMPARE(poster.size(), QSize(160, 120));
        // The bars: light grey on the left, blue on the right of the top two thirds.
        const QColor left = poster.pixelColor(8, 20);
        const QColor right = poster.pixelColor(152, 20);
        QVERIFY2(left.lightness() > 150, qPrintable(left.name()));
        QVERIFY2(right.blue() > 150 && right.red() < 100, qPrintable(right.name()));

        // Played by Qt Multimedia from the decrypting reader: no plaintext file anywhere.
        QMediaPlayer player;
        QVideoSink sink;
        player.setVideoSink(&sink);
        QList<QSize> frames;
        connect(&sink, &QVideoSink::videoFrameChanged, this, [&](const QVideoFrame &f) {
            if (f.isValid())
                frames.append(f.size());
        });
        QIODevice *stream = duo.bob->openMedia(id, &player);
        QVERIFY(stream);
        player.setSourceDevice(stream, QUrl(u"smpte.webm"_s));
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(
            player.mediaStatus() == QMediaPlayer::EndOfMedia || player.error() != QMediaPlayer::NoError,
            20000);
        QCOMPARE(player.error(), QMediaPlayer::NoError);
        QVERIFY2(frames.size() >= 5, qPrintable(QString::number(frames.size())));
        QCOMPARE(frames.first(), QSize(160, 120));
    }

    void voiceNoteArrivesWithItsWaveformAndDecodesFromTheEncryptedCache()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const qint64 id = sendAndFetch(duo, mediaFixture(u"tone.ogg"_s), Engine::MediaKindHint::Voice);
        QVERIFY(id > 0);

        // The fixture: 0.998 s of a 440 Hz sine at volume 0.8.
        const auto media = duo.bob->mediaOf(id);
        QVERIFY(media.has_value());
        QCOMPARE(media->kind(), content::Media::VOICE);
        QVERIFY2(media->duration_ms() >= 950 && media->duration_ms() <= 1050,
            qPrintable(QString::number(media->duration_ms())));
        const QByteArray waveform = QByteArray::fromStdString(media->waveform());
        QCOMPARE(waveform.size(), 64);
        const auto loudest = quint8(*std::max_element(
            waveform.cbegin(), waveform.cend(), [](char a, char b) { return quint8(a) < quint8(b); }));
        QVERIFY2(loudest > 150, qPrintable(QString::number(loudest)));
        QVERIFY(media->thumbnail().empty());

        // Decoded by Qt Multimedia from the decrypting reader, all of it.
        QAudioDecoder decoder;
        QIODevice *stream = duo.bob->openMedia(id, &decoder);
        QVERIFY(stream);
        decoder.setSourceDevice(stream);
        qint64 decodedUs = 0;
        bool finished = false;
        connect(&decoder, &QAudioDecoder::bufferReady, this, [&] { decodedUs += decoder.read().duration(); });
        connect(&decoder, &QAudioDecoder::finished, this, [&] { finished = true; });
        decoder.start();
        QTRY_VERIFY_WITH_TIMEOUT(finished || decoder.error() != QAudioDecoder::NoError, 20000);
        QCOMPARE(decoder.error(), QAudioDecoder::NoError);
        QVERIFY2(decodedUs >= 950'000 && decodedUs <= 1'050'000, qPrintable(QString::number(decodedUs)));
    }

    void aVoiceNoteThatIsNotAudioIsRefusedBeforeUpload()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const QString fake = writeFile(duo.dir.filePath(u"memo.ogg"_s), 20'000, 9);
        auto sent = duo.alice->sendMedia({ u"bob"_s }, fake, {}, Engine::MediaKindHint::Voice);
        QVERIFY(sent.ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.alice, sent.value().localId), TransferState::Failed, 30000);
        const auto t = duo.alice->transferOf(sent.value().localId);
        QCOMPARE(t->error, MediaError::Unsupported);
        QCOMPARE(messageState(duo.alice, sent.value().clientMsgId), MessageState::Failed);
        QCOMPARE(duo.alice->outboxSize(), 0);
        QCOMPARE(duo.server.sql(u"SELECT count(*) FROM assets"_s), QByteArray("0"));
    }

    // A note recorded into the engine's recordings folder is the engine's: once sealed into the
    // encrypted spool the plaintext goes, and the peer still gets and decodes it.
    void aRecordedNoteLeavesNoPlaintextBehind()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const QString recording = duo.alice->newRecordingPath(u"ogg"_s);
        QVERIFY(!recording.isEmpty());
        QVERIFY(recording.startsWith(duo.alice.storePath() + u".media/rec/"_s));
        QVERIFY(!QFile::exists(recording));
        QVERIFY(duo.alice->newRecordingPath(u"ogg"_s) != recording);
        QVERIFY(QFile::copy(mediaFixture(u"tone.ogg"_s), recording));

        auto sent = duo.alice->sendVoiceNote({ u"bob"_s }, recording);
        QVERIFY(sent.ok());
        const QByteArray id = sent.value().clientMsgId;
        QTRY_COMPARE_WITH_TIMEOUT(messageState(duo.alice, id), MessageState::Delivered, 30000);
        QVERIFY(!QFile::exists(recording));
        QCOMPARE(QDir(QFileInfo(recording).absolutePath()).entryList(QDir::Files), QStringList());

        const StoredMessage got = lastMedia(duo.bob, u"alice"_s);
        QCOMPARE(got.clientMsgId, id);
        QCOMPARE(duo.bob->mediaOf(got.localId)->kind(), content::Media::VOICE);
        duo.bob->download(got.localId);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.bob, got.localId), TransferState::Done, 30000);
        const auto plain = duo.bob->readMedia(got.localId);
        QVERIFY(plain.ok());
        QFile fixture(mediaFixture(u"tone.ogg"_s));
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        QCOMPARE(plain.value(), fixture.readAll());
        // The sender plays its own note from the spool, not from the removed recording.
        QVERIFY(duo.alice->readMedia(sent.value().localId).ok());
    }

    // Failed and refused notes do not leave their recording behind either; nor does a crash.
    void recordingsThatWillNotBeSentAreRemoved()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        const QString notAudio = duo.alice->newRecordingPath(u"ogg"_s);
        writeFile(notAudio, 20'000, 3);
        auto sent = duo.alice->sendVoiceNote({ u"bob"_s }, notAudio);
        QVERIFY(sent.ok());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(duo.alice, sent.value().localId), TransferState::Failed, 30000);
        QVERIFY(!QFile::exists(notAudio));

        // To nobody: refused at once with a typed error, and the recording goes with it.
        const QString toNobody = duo.alice->newRecordingPath(u"ogg"_s);
        QVERIFY(QFile::copy(mediaFixture(u"tone.ogg"_s), toNobody));
        auto refused = duo.alice->sendVoiceNote({}, toNobody);
        QVERIFY(!refused.ok());
        QVERIFY(!QFile::exists(toNobody));

        // Left by a crash mid-recording: gone when the engine next starts.
        const QString orphan = duo.alice->newRecordingPath(u"ogg"_s);
        QVERIFY(QFile::copy(mediaFixture(u"tone.ogg"_s), orphan));
        duo.alice.close();
        QVERIFY(QFile::exists(orphan));
        QVERIFY(duo.alice.open());
        QVERIFY(!QFile::exists(orphan));

        // A file the user picked elsewhere is never the engine's to remove.
        const QString picked = duo.dir.filePath(u"picked.ogg"_s);
        QVERIFY(QFile::copy(mediaFixture(u"tone.ogg"_s), picked));
        QVERIFY(duo.alice.waitOnline());
        auto shared = duo.alice->sendMedia({ u"bob"_s }, picked, {}, Engine::MediaKindHint::Voice);
        QVERIFY(shared.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            messageState(duo.alice, shared.value().clientMsgId), MessageState::Delivered, 30000);
        QVERIFY(QFile::exists(picked));
    }
};

QTEST_MAIN(tst_MediaPlayback)
#include "tst_MediaPlayback.moc"

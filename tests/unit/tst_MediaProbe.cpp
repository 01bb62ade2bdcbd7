// SPDX-License-Identifier: GPL-3.0-or-later
// MediaProbe: what a file is before it is sent. Images and files synchronously, videos and voice
// notes through the event loop; kinds from content or hint; typed failures. A QGuiApplication
// (offscreen) process, since video posters need one.
#include "MediaProbe.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QImageWriter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh::media;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitMs = 20'000;

QString fixture(const QString &name)
{
    return QStringLiteral(CHATTERMESH_MEDIA_DATA) + u'/' + name;
}

QByteArray png(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter(&buffer, "png").write(image);
    return bytes;
}

} // namespace

class tst_MediaProbe : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write the test file");
        return path;
    }

    // Runs describe() and returns the one answer, checking that exactly one came.
    MediaResult<MediaInfo> describe(const QString &path, std::optional<MediaKind> hint = std::nullopt)
    {
        MediaProbe probe;
        QSignalSpy described(&probe, &MediaProbe::described);
        QSignalSpy failed(&probe, &MediaProbe::failed);
        probe.describe(path, hint);
        if (!described.isEmpty() || !failed.isEmpty())
            return MediaFailure { MediaError::Busy, u"answered from inside describe()"_s };
        if (!QTest::qWaitFor([&] { return !described.isEmpty() || !failed.isEmpty(); }, WaitMs))
            return MediaFailure { MediaError::Timeout, u"no answer"_s };
        if (described.count() + failed.count() != 1)
            return MediaFailure { MediaError::Busy, u"more than one answer"_s };
        if (!failed.isEmpty())
            return MediaFailure { failed.at(0).at(0).value<MediaError>(), failed.at(0).at(1).toString() };
        return described.at(0).at(0).value<MediaInfo>();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void imageIsDescribedSynchronously()
    {
        const QByteArray bytes = png(QSize(640, 480));
        const auto info = MediaProbe::describeNow(write(u"photo.png"_s, bytes));
        QVERIFY(info);
        QCOMPARE(info->kind, MediaKind::Image);
        QCOMPARE(info->mimeType, u"image/png"_s);
        QCOMPARE(info->fileName, u"photo.png"_s);
        QCOMPARE(info->size, bytes.size());
        QCOMPARE(info->width, 640);
        QCOMPARE(info->height, 480);
        QCOMPARE(info->durationMs, 0);
        QCOMPARE(QImage::fromData(info->thumbnail, "JPEG").size(), QSize(320, 240));
        QVERIFY(info->waveform.isEmpty());
    }

    void contentWinsOverTheName()
    {
        const auto info = MediaProbe::describeNow(write(u"photo.bin"_s, png(QSize(30, 20))));
        QVERIFY(info);
        QCOMPARE(info->kind, MediaKind::Image);
        QCOMPARE(info->mimeType, u"image/png"_s);
        QCOMPARE(info->width, 30);
    }

    void plainFileIsAFile()
    {
        const auto info = MediaProbe::describeNow(write(u"notes.txt"_s, "shopping list\n"));
        QVERIFY(info);
        QCOMPARE(info->kind, MediaKind::File);
        QCOMPARE(info->mimeType, u"text/plain"_s);
        QCOMPARE(info->size, 14);
        QVERIFY(info->thumbnail.isEmpty());
        QCOMPARE(info->width, 0);
    }

    void undecodableImageFallsBackToFileUnlessHinted()
    {
        // PNG magic, then nothing an image reader can use.
        const QString path
            = write(u"broken.png"_s, QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'q'));
        const auto unhinted = MediaProbe::describeNow(path);
        QVERIFY(unhinted);
        QCOMPARE(unhinted->kind, MediaKind::File);
        QCOMPARE(unhinted->mimeType, u"image/png"_s);

        const auto hinted = MediaProbe::describeNow(path, MediaKind::Image);
        QVERIFY(!hinted);
        QCOMPARE(hinted.error().code, MediaError::UnsupportedImage);

        const auto text = MediaProbe::describeNow(write(u"text.jpg"_s, "not a picture"), MediaKind::Image);
        QVERIFY(!text);
        QCOMPARE(text.error().code, MediaError::UnsupportedImage);
    }

    void fileHintSkipsAnalysis()
    {
        const auto info = MediaProbe::describeNow(write(u"raw.png"_s, png(QSize(50, 50))), MediaKind::File);
        QVERIFY(info);
        QCOMPARE(info->kind, MediaKind::File);
        QVERIFY(info->thumbnail.isEmpty());
    }

    void synchronousErrorsAreTyped()
    {
        const auto missing = MediaProbe::describeNow(m_dir.filePath(u"gone.png"_s));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, MediaError::FileMissing);

        const auto folder = MediaProbe::describeNow(m_dir.path());
        QVERIFY(!folder);
        QCOMPARE(folder.error().code, MediaError::Unreadable);

        const auto video = MediaProbe::describeNow(fixture(u"smpte.webm"_s));
        QVERIFY(!video);
        QCOMPARE(video.error().code, MediaError::NeedsEventLoop);
        const auto voice = MediaProbe::describeNow(fixture(u"tone.ogg"_s), MediaKind::Voice);
        QVERIFY(!voice);
        QCOMPARE(voice.error().code, MediaError::NeedsEventLoop);
    }

    void videoIsDescribedAsynchronously()
    {
        const auto info = describe(fixture(u"smpte.ogv"_s));
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
        QCOMPARE(info->kind, MediaKind::Video);
        QVERIFY2(info->mimeType.startsWith(u"video/"_s), qPrintable(info->mimeType));
        QCOMPARE(info->fileName, u"smpte.ogv"_s);
        QCOMPARE(info->size, QFileInfo(fixture(u"smpte.ogv"_s)).size());
        QCOMPARE(info->width, 160);
        QCOMPARE(info->height, 120);
        QVERIFY(qAbs(info->durationMs - 1000) <= 50);
        const QImage thumb = QImage::fromData(info->thumbnail, "JPEG");
        QCOMPARE(thumb.size(), QSize(160, 120));
        QVERIFY(qBlue(thumb.pixel(155, 10)) > 150);
        QVERIFY(info->waveform.isEmpty());
    }

    void voiceNoteIsDescribedAsynchronously()
    {
        const auto info = describe(fixture(u"tone.ogg"_s), MediaKind::Voice);
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
        QCOMPARE(info->kind, MediaKind::Voice);
        QVERIFY2(info->mimeType.startsWith(u"audio/"_s), qPrintable(info->mimeType));
        QVERIFY(qAbs(info->durationMs - 998) <= 10);
        QCOMPARE(info->waveform.size(), 64);
        QVERIFY(quint8(info->waveform[32]) > 150);
        QVERIFY(info->thumbnail.isEmpty());
    }

    void audioWithoutHintIsAFile()
    {
        const auto info = describe(fixture(u"tone.ogg"_s));
        QVERIFY(info);
        QCOMPARE(info->kind, MediaKind::File);
        QVERIFY(info->waveform.isEmpty());
    }

    void imagesAnswerThroughTheLoopToo()
    {
        const auto info = describe(write(u"async.png"_s, png(QSize(100, 100))));
        QVERIFY(info);
        QCOMPARE(info->kind, MediaKind::Image);
        QCOMPARE(info->width, 100);
    }

    void unplayableVideoFallsBackToFileUnlessHinted()
    {
        const QString path = write(u"clip.webm"_s, QByteArray(8192, '\x5a'));
        const auto unhinted = describe(path);
        QVERIFY2(unhinted, qPrintable(unhinted ? QString() : unhinted.error().message));
        QCOMPARE(unhinted->kind, MediaKind::File);
        QCOMPARE(unhinted->mimeType, u"video/webm"_s);

        const auto hinted = describe(path, MediaKind::Video);
        QVERIFY(!hinted);
        QCOMPARE(hinted.error().code, MediaError::UnsupportedMedia);

        const auto voice = describe(path, MediaKind::Voice);
        QVERIFY(!voice);
        QCOMPARE(voice.error().code, MediaError::UnsupportedMedia);
    }

    void asynchronousErrorsAreTyped()
    {
        const auto missing = describe(m_dir.filePath(u"gone.webm"_s), MediaKind::Video);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, MediaError::FileMissing);

        MediaProbe probe;
        QSignalSpy described(&probe, &MediaProbe::described);
        QSignalSpy failed(&probe, &MediaProbe::failed);
        probe.describe(fixture(u"smpte.ogv"_s));
        probe.describe(fixture(u"smpte.webm"_s));
        QVERIFY(described.wait(WaitMs));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).value<MediaError>(), MediaError::Busy);
        QCOMPARE(described.count(), 1);
        QCOMPARE(described.at(0).at(0).value<MediaInfo>().fileName, u"smpte.ogv"_s);
    }
};

QTEST_MAIN(tst_MediaProbe)
#include "tst_MediaProbe.moc"

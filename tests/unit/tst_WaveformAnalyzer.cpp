// SPDX-License-Identifier: GPL-3.0-or-later
// Voice-note waveform and duration through QAudioDecoder: a WAV written here with a known loudness
// envelope, the committed Ogg/Vorbis fixture, and the typed failures.
#include "WaveformAnalyzer.h"

#include <QDataStream>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh::media;
using namespace Qt::StringLiterals;

namespace {

constexpr int Rate = 8000;

// Mono 16-bit PCM WAV: `silentFrames` of silence, then `loudFrames` of a square wave at `level`.
QByteArray wav(int silentFrames, int loudFrames, double level)
{
    QByteArray pcm;
    QDataStream samples(&pcm, QIODevice::WriteOnly);
    samples.setByteOrder(QDataStream::LittleEndian);
    for (int i = 0; i < silentFrames; ++i)
        samples << qint16(0);
    const auto amplitude = qint16(level * 32767);
    for (int i = 0; i < loudFrames; ++i)
        samples << ((i / 20) % 2 ? amplitude : qint16(-amplitude)); // 200 Hz
    QByteArray file;
    QDataStream out(&file, QIODevice::WriteOnly);
    out.setByteOrder(QDataStream::LittleEndian);
    out.writeRawData("RIFF", 4);
    out << quint32(36 + pcm.size());
    out.writeRawData("WAVEfmt ", 8);
    out << quint32(16) << quint16(1) << quint16(1) << quint32(Rate) << quint32(Rate * 2) << quint16(2)
        << quint16(16);
    out.writeRawData("data", 4);
    out << quint32(pcm.size());
    return file + pcm;
}

QString fixture(const QString &name)
{
    return QStringLiteral(CHATTERMESH_MEDIA_DATA) + u'/' + name;
}

constexpr int WaitMs = 20'000;

} // namespace

class tst_WaveformAnalyzer : public QObject {
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

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void summariseFoldsSlicesIntoBuckets()
    {
        QCOMPARE(WaveformAnalyzer::summarise({}), QByteArray(64, '\0'));

        // Fewer slices than buckets: each slice is spread over consecutive buckets, in order.
        const QByteArray shortClip = WaveformAnalyzer::summarise({ 0.0f, 1.0f });
        QCOMPARE(shortClip.size(), 64);
        QCOMPARE(quint8(shortClip[0]), 0);
        QCOMPARE(quint8(shortClip[31]), 0);
        QCOMPARE(quint8(shortClip[32]), 255);
        QCOMPARE(quint8(shortClip[63]), 255);

        // More slices than buckets: a bucket keeps the loudest of its slices; values are clamped.
        std::vector<float> slices(128, 0.25f);
        slices[5] = 1.5f;
        const QByteArray longClip = WaveformAnalyzer::summarise(slices);
        QCOMPARE(quint8(longClip[2]), 255);
        QCOMPARE(quint8(longClip[3]), 64);
    }

    void wavEnvelopeAndDuration()
    {
        WaveformAnalyzer analyzer;
        QSignalSpy ready(&analyzer, &WaveformAnalyzer::ready);
        QSignalSpy failed(&analyzer, &WaveformAnalyzer::failed);
        analyzer.start(write(u"half.wav"_s, wav(Rate / 2, Rate / 2, 0.5)));
        QVERIFY(ready.wait(WaitMs));
        QCOMPARE(failed.count(), 0);
        const QByteArray levels = ready.at(0).at(0).toByteArray();
        QCOMPARE(ready.at(0).at(1).toLongLong(), 1000);
        QCOMPARE(levels.size(), WaveformAnalyzer::Buckets);
        for (int b = 0; b < 32; ++b)
            QVERIFY2(quint8(levels[b]) == 0, qPrintable(u"bucket %1 = %2"_s.arg(b).arg(quint8(levels[b]))));
        for (int b = 32; b < 64; ++b)
            QVERIFY2(qAbs(quint8(levels[b]) - 128) <= 2,
                qPrintable(u"bucket %1 = %2"_s.arg(b).arg(quint8(levels[b]))));
    }

    void oggVorbisFixture()
    {
        WaveformAnalyzer analyzer;
        QSignalSpy ready(&analyzer, &WaveformAnalyzer::ready);
        analyzer.start(fixture(u"tone.ogg"_s));
        QVERIFY(ready.wait(WaitMs));
        const QByteArray levels = ready.at(0).at(0).toByteArray();
        const qint64 duration = ready.at(0).at(1).toLongLong();
        QVERIFY2(qAbs(duration - 998) <= 10, QByteArray::number(duration).constData());
        QCOMPARE(levels.size(), WaveformAnalyzer::Buckets);
        // A steady sine at 0.8 of full scale: every bucket near 204 (lossy coding wobbles a bit).
        for (int b = 0; b < levels.size(); ++b)
            QVERIFY2(qAbs(quint8(levels[b]) - 204) <= 20,
                qPrintable(u"bucket %1 = %2"_s.arg(b).arg(quint8(levels[b]))));
    }

    void cancelLeavesItReusable()
    {
        WaveformAnalyzer analyzer;
        QSignalSpy ready(&analyzer, &WaveformAnalyzer::ready);
        QSignalSpy failed(&analyzer, &WaveformAnalyzer::failed);
        const QString path = write(u"again.wav"_s, wav(0, Rate / 4, 0.5));
        analyzer.start(path);
        QVERIFY(analyzer.isRunning());
        analyzer.cancel();
        QVERIFY(!analyzer.isRunning());
        analyzer.start(path);
        QVERIFY(ready.wait(WaitMs));
        QCOMPARE(ready.count(), 1);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(ready.at(0).at(1).toLongLong(), 250);
    }

    void secondStartWhileRunningIsBusy()
    {
        WaveformAnalyzer analyzer;
        QSignalSpy ready(&analyzer, &WaveformAnalyzer::ready);
        QSignalSpy failed(&analyzer, &WaveformAnalyzer::failed);
        const QString path = write(u"busy.wav"_s, wav(0, Rate / 4, 0.5));
        analyzer.start(path);
        analyzer.start(path);
        QCOMPARE(failed.count(), 0); // never from inside start()
        QVERIFY(ready.wait(WaitMs));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).value<MediaError>(), MediaError::Busy);
    }

    void typedFailures_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<MediaError>("expected");
        QTest::newRow("missing") << u"missing.ogg"_s << QByteArray() << MediaError::FileMissing;
        QTest::newRow("garbage") << u"garbage.ogg"_s << QByteArray(4096, 'x') << MediaError::UnsupportedMedia;
        QTest::newRow("empty") << u"empty.ogg"_s << QByteArray("") << MediaError::UnsupportedMedia;
    }

    void typedFailures()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(MediaError, expected);
        const QString path
            = expected == MediaError::FileMissing ? m_dir.filePath(name) : write(name, content);
        WaveformAnalyzer analyzer;
        QSignalSpy failed(&analyzer, &WaveformAnalyzer::failed);
        QSignalSpy ready(&analyzer, &WaveformAnalyzer::ready);
        analyzer.start(path);
        QVERIFY(failed.wait(WaitMs));
        QCOMPARE(failed.at(0).at(0).value<MediaError>(), expected);
        QCOMPARE(ready.count(), 0);
    }

    // The wait is bounded by the injected timeout, not by the backend: 1 ms cannot decode 30 s.
    void timeoutIsTyped()
    {
        WaveformAnalyzer analyzer(std::chrono::milliseconds(1));
        QSignalSpy failed(&analyzer, &WaveformAnalyzer::failed);
        analyzer.start(write(u"long.wav"_s, wav(0, Rate * 30, 0.5)));
        QVERIFY(failed.wait(WaitMs));
        QCOMPARE(failed.at(0).at(0).value<MediaError>(), MediaError::Timeout);
        QVERIFY(!analyzer.isRunning());
    }
};

QTEST_GUILESS_MAIN(tst_WaveformAnalyzer)
#include "tst_WaveformAnalyzer.moc"

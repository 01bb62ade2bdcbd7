// SPDX-License-Identifier: GPL-3.0-or-later
// Records real voice notes headlessly, from TestMicrophone's private PulseAudio source.
#include "TestMicrophone.h"
#include "VoiceNoteRecorder.h"
#include "WaveformAnalyzer.h"

#include <QDir>
#include <QFile>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh::media;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitMs = 20'000;

} // namespace

class tst_VoiceNoteRecorder : public QObject {
    Q_OBJECT

    chattermesh::test::TestMicrophone m_microphone;
    QTemporaryDir m_dir;
    QAudioDevice m_mic;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString error = m_microphone.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!QMediaDevices::audioInputs().isEmpty(), WaitMs);
        for (const QAudioDevice &device : QMediaDevices::audioInputs())
            if (device.id() == chattermesh::test::TestMicrophone::sourceId())
                m_mic = device;
        QVERIFY2(!m_mic.isNull(), "the test source is not listed by Qt Multimedia");
        // The app records from the default input: it must be the test source.
        QCOMPARE(QMediaDevices::defaultAudioInput().id(), chattermesh::test::TestMicrophone::sourceId());
    }

    void cleanupTestCase() { m_microphone.stop(); }

    void prefersOggOpus()
    {
        const auto format = VoiceNoteRecorder::preferredFormat();
        QVERIFY(format);
        QCOMPARE(format->fileFormat(), QMediaFormat::Ogg);
        QCOMPARE(format->audioCodec(), QMediaFormat::AudioCodec::Opus);
        QCOMPARE(VoiceNoteRecorder::suffixFor(*format), u"ogg"_s);
    }

    void recordsAVoiceNote()
    {
        const QString path = m_dir.filePath(u"note.ogg"_s);
        VoiceNoteRecorder recorder;
        recorder.setDevice(m_mic);
        QSignalSpy finished(&recorder, &VoiceNoteRecorder::finished);
        QSignalSpy failed(&recorder, &VoiceNoteRecorder::failed);
        const auto started = recorder.start(path);
        QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
        QVERIFY(recorder.isRecording());
        QTRY_VERIFY_WITH_TIMEOUT(recorder.durationMs() >= 1000 || !failed.isEmpty(), WaitMs);
        QCOMPARE(failed.count(), 0);
        recorder.stop();
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(finished.at(0).at(0).toString(), path);
        const qint64 recorded = finished.at(0).at(1).toLongLong();
        QVERIFY2(recorded >= 1000, QByteArray::number(recorded).constData());
        QVERIFY(!recorder.isRecording());
        QVERIFY(QFileInfo(path).size() > 0);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList { u"note.ogg"_s });

        // The note decodes, lasts what was recorded, and carries the sine (not silence).
        WaveformAnalyzer analyzer;
        QSignalSpy ready(&analyzer, &WaveformAnalyzer::ready);
        analyzer.start(path);
        QVERIFY(ready.wait(WaitMs));
        const qint64 decoded = ready.at(0).at(1).toLongLong();
        QVERIFY2(decoded >= 900 && decoded <= recorded + 500, QByteArray::number(decoded).constData());
        const QByteArray levels = ready.at(0).at(0).toByteArray();
        int loud = 0;
        for (char level : levels)
            loud += quint8(level) > 20;
        QVERIFY2(loud >= 48, qPrintable(u"%1 of 64 buckets above silence"_s.arg(loud)));
        QFile::remove(path);
    }

    void cancelRemovesTheFile()
    {
        const QString path = m_dir.filePath(u"cancelled.ogg"_s);
        VoiceNoteRecorder recorder;
        recorder.setDevice(m_mic);
        QSignalSpy finished(&recorder, &VoiceNoteRecorder::finished);
        QSignalSpy failed(&recorder, &VoiceNoteRecorder::failed);
        QVERIFY(recorder.start(path));
        QTRY_VERIFY_WITH_TIMEOUT(recorder.durationMs() >= 300, WaitMs);
        recorder.cancel();
        QVERIFY(!recorder.isRecording());
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList());
        // A new note can follow at once on the same recorder.
        const QString next = m_dir.filePath(u"next.ogg"_s);
        QVERIFY(recorder.start(next));
        QTRY_VERIFY_WITH_TIMEOUT(recorder.durationMs() >= 300, WaitMs);
        recorder.stop();
        QVERIFY(finished.wait(WaitMs));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toString(), next);
        QCOMPARE(failed.count(), 0);
        QFile::remove(next);
    }

    void startErrorsAreTyped()
    {
        VoiceNoteRecorder recorder;
        recorder.setDevice(m_mic);

        const QString existing = m_dir.filePath(u"existing.ogg"_s);
        QFile file(existing);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const auto taken = recorder.start(existing);
        QVERIFY(!taken);
        QCOMPARE(taken.error().code, MediaError::OutputUnwritable);

        const auto nowhere = recorder.start(m_dir.filePath(u"no/such/dir/note.ogg"_s));
        QVERIFY(!nowhere);
        QCOMPARE(nowhere.error().code, MediaError::OutputUnwritable);
        QVERIFY(!recorder.isRecording());

        const QString path = m_dir.filePath(u"busy.ogg"_s);
        QVERIFY(recorder.start(path));
        const auto twice = recorder.start(m_dir.filePath(u"second.ogg"_s));
        QVERIFY(!twice);
        QCOMPARE(twice.error().code, MediaError::Busy);
        recorder.cancel();
        QVERIFY(!QFile::exists(path));
        QFile::remove(existing);
    }
};

QTEST_GUILESS_MAIN(tst_VoiceNoteRecorder)
#include "tst_VoiceNoteRecorder.moc"

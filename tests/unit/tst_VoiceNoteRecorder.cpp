// SPDX-License-Identifier: GPL-3.0-or-later
// Records real voice notes headlessly. The fixture starts a private PulseAudio daemon (its own
// runtime dir and socket, nothing shared with the machine) with a null sink that a 440 Hz sine
// plays into, and exposes the sink's monitor as an ordinary source, "ChatterMeshTestMic": Qt lists
// monitors of sinks as no input at all, and GStreamer's pulsesrc stalls on module-sine-source.
#include "VoiceNoteRecorder.h"
#include "WaveformAnalyzer.h"

#include <QDir>
#include <QFile>
#include <QMediaDevices>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh::media;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitMs = 20'000;
const QByteArray TestSource = "cm_mic";

} // namespace

class tst_VoiceNoteRecorder : public QObject {
    Q_OBJECT

    QTemporaryDir m_pulseDir;
    QTemporaryDir m_dir;
    QProcess m_pulse;
    QAudioDevice m_mic;

    QString socketPath() const { return m_pulseDir.filePath(u"native"_s); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_pulseDir.isValid() && m_dir.isValid());
        const QString binary = QStringLiteral(CHATTERMESH_PULSEAUDIO_BIN);
        QVERIFY2(!binary.isEmpty() && !binary.endsWith(u"NOTFOUND"_s),
            "pulseaudio is not installed: run scripts/deps (it provides the test's capture device)");

        const QString runtime = m_pulseDir.filePath(u"run"_s);
        QVERIFY(QDir().mkpath(runtime));
        QVERIFY(QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_pulseDir.path());
        env.insert(u"XDG_RUNTIME_DIR"_s, runtime);
        env.insert(u"XDG_CONFIG_HOME"_s, m_pulseDir.filePath(u"config"_s));
        m_pulse.setProcessEnvironment(env);
        m_pulse.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_pulse.start(binary,
            { u"--daemonize=no"_s, u"-n"_s, u"--use-pid-file=no"_s, u"--disable-shm=yes"_s,
                // Should this test crash, the daemon leaves by itself once no client is left.
                u"--exit-idle-time=10"_s, u"--log-level=error"_s,
                u"--load=module-native-protocol-unix auth-anonymous=1 socket=%1"_s.arg(socketPath()),
                u"--load=module-null-sink sink_name=cm_null"_s,
                u"--load=module-sine sink=cm_null frequency=440"_s,
                u"--load=module-remap-source source_name=cm_mic master=cm_null.monitor "
                "source_properties=device.description=ChatterMeshTestMic"_s });
        QVERIFY2(m_pulse.waitForStarted(WaitMs), qPrintable(m_pulse.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(
            QFile::exists(socketPath()) || m_pulse.state() == QProcess::NotRunning, WaitMs);
        QVERIFY2(m_pulse.state() == QProcess::Running, "pulseaudio exited at start-up");

        // Qt Multimedia connects to PulseAudio on first use, which is after this point.
        qputenv("PULSE_SERVER", u"unix:%1"_s.arg(socketPath()).toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(!QMediaDevices::audioInputs().isEmpty(), WaitMs);
        for (const QAudioDevice &device : QMediaDevices::audioInputs())
            if (device.id() == TestSource)
                m_mic = device;
        QVERIFY2(!m_mic.isNull(), "the test source is not listed by Qt Multimedia");
    }

    void cleanupTestCase()
    {
        if (m_pulse.state() == QProcess::NotRunning)
            return;
        m_pulse.terminate();
        if (!m_pulse.waitForFinished(WaitMs))
            m_pulse.kill();
    }

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

// SPDX-License-Identifier: GPL-3.0-or-later
#include "VoiceNoteRecorder.h"

#include "MediaLog.h"

#include <QAudioInput>
#include <QFile>
#include <QFileInfo>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace chattermesh::media {

namespace {

struct Candidate {
    QMediaFormat::FileFormat container;
    QMediaFormat::AudioCodec codec;
};

// Opus is built for speech at low bitrates; Vorbis is the fallback every GStreamer has
// (plugins-base); WebM/Opus covers backends without an Ogg muxer.
constexpr Candidate Preferred[] = {
    { QMediaFormat::Ogg, QMediaFormat::AudioCodec::Opus },
    { QMediaFormat::Ogg, QMediaFormat::AudioCodec::Vorbis },
    { QMediaFormat::WebM, QMediaFormat::AudioCodec::Opus },
};

} // namespace

// One recording's Qt Multimedia objects. Not our children, and deleted later as one: the
// GStreamer backend runs a nested event loop while a capture session lets go of its recorder, and
// that loop must not find a sibling already scheduled for deletion (it aborts in Qt 6.4).
struct VoiceNoteRecorder::Pipeline : QObject {
    explicit Pipeline(const QAudioDevice &device) : input(device)
    {
        session.setAudioInput(&input);
        session.setRecorder(&recorder);
    }
    ~Pipeline() override
    {
        session.setRecorder(nullptr);
        session.setAudioInput(nullptr);
    }

    QMediaCaptureSession session;
    QAudioInput input;
    QMediaRecorder recorder;
    bool started = false;
};

VoiceNoteRecorder::VoiceNoteRecorder(QObject *parent) : QObject(parent), m_startDeadline(new QTimer(this))
{
    m_startDeadline->setSingleShot(true);
    connect(m_startDeadline, &QTimer::timeout, this, &VoiceNoteRecorder::onStartDeadline);
}

VoiceNoteRecorder::~VoiceNoteRecorder()
{
    cancel();
    // Whatever is still finishing goes now; its files with it.
    while (!m_retiring.isEmpty())
        retired(m_retiring.constFirst());
}

std::optional<QMediaFormat> VoiceNoteRecorder::preferredFormat()
{
    const auto containers = QMediaFormat().supportedFileFormats(QMediaFormat::Encode);
    for (const Candidate &c : Preferred) {
        if (!containers.contains(c.container))
            continue;
        QMediaFormat format(c.container);
        if (!format.supportedAudioCodecs(QMediaFormat::Encode).contains(c.codec))
            continue;
        format.setAudioCodec(c.codec);
        return format;
    }
    return std::nullopt;
}

QString VoiceNoteRecorder::suffixFor(const QMediaFormat &format)
{
    // Audio-only Ogg is .ogg (the backend's MIME type would say .ogv).
    return format.fileFormat() == QMediaFormat::WebM ? u"webm"_s : u"ogg"_s;
}

qint64 VoiceNoteRecorder::durationMs() const
{
    return m_pipeline ? m_pipeline->recorder.duration() : 0;
}

MediaResult<Unit> VoiceNoteRecorder::start(const QString &path)
{
    if (isRecording())
        return MediaFailure { MediaError::Busy, u"already recording"_s };
    const QAudioDevice device = m_device.isNull() ? QMediaDevices::defaultAudioInput() : m_device;
    if (device.isNull())
        return MediaFailure { MediaError::NoAudioInput, u"no audio input device"_s };
    const auto format = preferredFormat();
    if (!format)
        return MediaFailure { MediaError::FormatUnavailable,
            u"the backend encodes neither Opus nor Vorbis"_s };
    const QFileInfo target(path);
    if (target.exists() || !QFileInfo(target.absolutePath()).isWritable())
        return MediaFailure { MediaError::OutputUnwritable, u"cannot record to %1"_s.arg(path) };

    m_path = target.absoluteFilePath();
    m_stopping = false;
    m_attempts = 1;
    m_recordingDevice = device;
    m_format = *format;
    qCDebug(lcMedia) << "recording from" << device.description() << "as"
                     << QMediaFormat::fileFormatName(format->fileFormat())
                     << QMediaFormat::audioCodecName(format->audioCodec());
    createPipeline();
    recordWhenReady();
    return Unit {};
}

void VoiceNoteRecorder::createPipeline()
{
    m_pipeline = new Pipeline(m_recordingDevice);
    QMediaRecorder &recorder = m_pipeline->recorder;
    recorder.setMediaFormat(m_format);
    recorder.setQuality(QMediaRecorder::NormalQuality);
    recorder.setOutputLocation(QUrl::fromLocalFile(m_path));
    connect(&recorder, &QMediaRecorder::recorderStateChanged, this, &VoiceNoteRecorder::onState);
    connect(&recorder, &QMediaRecorder::errorOccurred, this, &VoiceNoteRecorder::onError);
    connect(&recorder, &QMediaRecorder::durationChanged, this, &VoiceNoteRecorder::onDuration);
}

void VoiceNoteRecorder::recordWhenReady()
{
    // Two live pipelines on one input is what leaves the new one silent: wait for the old to stop.
    if (!m_pipeline || m_pipeline->started || !m_retiring.isEmpty())
        return;
    m_pipeline->started = true;
    m_pipeline->recorder.record();
    m_startDeadline->start(kStartDeadlineMs);
}

void VoiceNoteRecorder::stop()
{
    if (!isRecording() || m_stopping)
        return;
    m_stopping = true;
    if (!m_pipeline->started) {
        // Still waiting for a retired pipeline: nothing was recorded, so there is nothing to keep.
        discard();
        Q_EMIT failed(MediaError::RecordingFailed, u"the microphone did not start"_s);
        return;
    }
    // The muxer finishes the file asynchronously; StoppedState says it is complete.
    m_pipeline->recorder.stop();
}

void VoiceNoteRecorder::cancel()
{
    if (!isRecording())
        return;
    discard();
}

void VoiceNoteRecorder::onDuration(qint64 durationMs)
{
    if (durationMs > 0)
        m_startDeadline->stop();
    Q_EMIT durationChanged(durationMs);
}

void VoiceNoteRecorder::onStartDeadline()
{
    if (!m_pipeline || m_pipeline->recorder.duration() > 0)
        return;
    qCDebug(lcMedia) << "the recording has not started after" << kStartDeadlineMs << "ms; attempt"
                     << m_attempts;
    if (!m_stopping && restart())
        return;
    discard();
    Q_EMIT failed(MediaError::RecordingFailed, u"the microphone did not start"_s);
}

bool VoiceNoteRecorder::restart()
{
    if (m_attempts >= kStartAttempts)
        return false;
    ++m_attempts;
    retire();
    createPipeline();
    recordWhenReady();
    return true;
}

void VoiceNoteRecorder::onState(QMediaRecorder::RecorderState state)
{
    if (state != QMediaRecorder::StoppedState || !isRecording() || !m_pipeline->started)
        return;
    // Stopped by itself before a single sample: the backend's start glitch, not the device.
    if (!m_stopping && m_pipeline->recorder.duration() == 0 && restart())
        return;
    finish();
}

void VoiceNoteRecorder::onError(QMediaRecorder::Error error, const QString &message)
{
    if (!isRecording())
        return;
    qCDebug(lcMedia) << "recorder error" << error << message;
    discard();
    Q_EMIT failed(MediaError::RecordingFailed, message);
}

void VoiceNoteRecorder::discard()
{
    retire();
}

void VoiceNoteRecorder::retire()
{
    Pipeline *p = m_pipeline;
    m_pipeline = nullptr;
    m_startDeadline->stop();
    if (!p)
        return;
    p->recorder.disconnect(this);
    m_retiring.append(p);
    removeFilesOf(p); // at once, so a cancelled note is gone when cancel() returns
    if (!p->started || p->recorder.recorderState() == QMediaRecorder::StoppedState) {
        retired(p);
        return;
    }
    connect(&p->recorder, &QMediaRecorder::recorderStateChanged, this,
        [this, p](QMediaRecorder::RecorderState s) {
            if (s == QMediaRecorder::StoppedState)
                retired(p);
        });
    QTimer::singleShot(kRetireDeadlineMs, this, [this, p] { retired(p); });
    p->recorder.stop();
}

void VoiceNoteRecorder::retired(Pipeline *pipeline)
{
    if (!m_retiring.removeOne(pipeline))
        return; // already gone: it stopped, or its deadline came first
    // Again, now that the muxer is done: it may have created the file after retire() looked. The
    // next attempt records to the same place only after this.
    removeFilesOf(pipeline);
    drop(pipeline);
    recordWhenReady();
}

void VoiceNoteRecorder::removeFilesOf(Pipeline *pipeline)
{
    // A cancelled, failed or restarted note must not linger on disk.
    for (const QUrl &url : { pipeline->recorder.actualLocation(), pipeline->recorder.outputLocation() }) {
        if (url.isLocalFile())
            QFile::remove(url.toLocalFile());
    }
}

void VoiceNoteRecorder::drop(Pipeline *pipeline)
{
    pipeline->recorder.disconnect();
    // Later: we may be inside one of the recorder's signals right now.
    pipeline->deleteLater();
}

void VoiceNoteRecorder::finish()
{
    const qint64 duration = m_pipeline->recorder.duration();
    const QString actual = m_pipeline->recorder.actualLocation().toLocalFile();
    const QString path = m_path;
    const bool stoppedByUs = m_stopping;
    m_startDeadline->stop();
    drop(m_pipeline);
    m_pipeline = nullptr;
    if (!stoppedByUs) {
        // The backend stopped on its own (device gone): keep nothing half-finished.
        QFile::remove(actual);
        Q_EMIT failed(MediaError::RecordingFailed, u"the recording stopped unexpectedly"_s);
        return;
    }
    // The GStreamer backend appends the MIME type's suffix (.ogv for Ogg) to a path that lacks
    // it; move the file to where the caller asked.
    if (actual != path && !QFile::rename(actual, path)) {
        QFile::remove(actual);
        Q_EMIT failed(MediaError::OutputUnwritable, u"cannot move the recording to %1"_s.arg(path));
        return;
    }
    if (!QFileInfo(path).isFile() || QFileInfo(path).size() == 0) {
        QFile::remove(path);
        Q_EMIT failed(MediaError::RecordingFailed, u"the recording is empty"_s);
        return;
    }
    Q_EMIT finished(path, duration);
}

} // namespace chattermesh::media

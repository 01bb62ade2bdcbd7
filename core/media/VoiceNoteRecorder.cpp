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
};

VoiceNoteRecorder::VoiceNoteRecorder(QObject *parent) : QObject(parent) { }

VoiceNoteRecorder::~VoiceNoteRecorder()
{
    cancel();
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
    m_pipeline = new Pipeline(device);
    QMediaRecorder &recorder = m_pipeline->recorder;
    recorder.setMediaFormat(*format);
    recorder.setQuality(QMediaRecorder::NormalQuality);
    recorder.setOutputLocation(QUrl::fromLocalFile(m_path));
    connect(&recorder, &QMediaRecorder::recorderStateChanged, this, &VoiceNoteRecorder::onState);
    connect(&recorder, &QMediaRecorder::errorOccurred, this, &VoiceNoteRecorder::onError);
    connect(&recorder, &QMediaRecorder::durationChanged, this, &VoiceNoteRecorder::durationChanged);
    qCDebug(lcMedia) << "recording from" << device.description() << "as"
                     << QMediaFormat::fileFormatName(format->fileFormat())
                     << QMediaFormat::audioCodecName(format->audioCodec());
    recorder.record();
    return Unit {};
}

void VoiceNoteRecorder::stop()
{
    if (!isRecording() || m_stopping)
        return;
    m_stopping = true;
    // The muxer finishes the file asynchronously; StoppedState says it is complete.
    m_pipeline->recorder.stop();
}

void VoiceNoteRecorder::cancel()
{
    if (!isRecording())
        return;
    discard();
}

void VoiceNoteRecorder::onState(QMediaRecorder::RecorderState state)
{
    if (state == QMediaRecorder::StoppedState && isRecording())
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
    const QUrl actual = m_pipeline->recorder.actualLocation();
    m_pipeline->recorder.disconnect(this);
    m_pipeline->recorder.stop();
    // Whatever was written so far goes: a cancelled or failed note must not linger on disk.
    if (actual.isLocalFile())
        QFile::remove(actual.toLocalFile());
    QFile::remove(m_path);
    teardown();
}

void VoiceNoteRecorder::finish()
{
    const qint64 duration = m_pipeline->recorder.duration();
    const QString actual = m_pipeline->recorder.actualLocation().toLocalFile();
    const QString path = m_path;
    const bool stoppedByUs = m_stopping;
    teardown();
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

void VoiceNoteRecorder::teardown()
{
    if (m_pipeline) {
        m_pipeline->recorder.disconnect(this);
        // Later: we may be inside one of the recorder's signals right now.
        m_pipeline->deleteLater();
    }
    m_pipeline = nullptr;
}

} // namespace chattermesh::media

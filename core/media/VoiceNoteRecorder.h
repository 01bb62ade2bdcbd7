// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaError.h"

#include <QAudioDevice>
#include <QMediaFormat>
#include <QMediaRecorder>
#include <QObject>
#include <QTimer>
#include <optional>

namespace chattermesh::media {

// Records a voice note from an audio input into a compressed file, through Qt Multimedia
// (QMediaCaptureSession + QAudioInput + QMediaRecorder). The format is chosen at run time from
// what the backend can encode, best first: Ogg/Opus, then Ogg/Vorbis, then WebM/Opus.
//
// start() answers at once with a typed error or Unit; afterwards exactly one of finished() or
// failed() follows a stop(), and nothing follows a cancel() (whose file is removed).
//
// Qt 6.4's GStreamer backend sometimes starts a recording that never produces a sample (more often
// on a loaded machine, and when a new recording follows a cancelled one before that one's end of
// stream went through). So a cancelled pipeline is retired, not dropped: the next recording waits
// until it has stopped. And a recording whose clock has not moved after kStartDeadlineMs is started
// again on a fresh pipeline, up to kStartAttempts times, before failed() says so.
class VoiceNoteRecorder : public QObject {
    Q_OBJECT
public:
    explicit VoiceNoteRecorder(QObject *parent = nullptr);
    ~VoiceNoteRecorder() override;

    // The first preferred format the backend encodes; nothing when none is available.
    static std::optional<QMediaFormat> preferredFormat();
    // The file suffix that goes with a format picked by preferredFormat().
    static QString suffixFor(const QMediaFormat &format);

    // Null selects the system's default input at start().
    void setDevice(const QAudioDevice &device) { m_device = device; }
    QAudioDevice device() const { return m_device; }

    // `path` must not exist yet; the finished note is exactly there, whatever suffix the backend
    // wanted to add.
    MediaResult<Unit> start(const QString &path);
    void stop();
    void cancel();

    bool isRecording() const { return m_pipeline != nullptr; }
    qint64 durationMs() const;

    static constexpr int kStartDeadlineMs = 4000;
    static constexpr int kStartAttempts = 3;
    static constexpr int kRetireDeadlineMs = 3000; // a retired pipeline that never stops is dropped

Q_SIGNALS:
    void durationChanged(qint64 durationMs);
    void finished(const QString &path, qint64 durationMs);
    void failed(chattermesh::media::MediaError error, const QString &message);

private:
    struct Pipeline;

    void createPipeline();
    void recordWhenReady();
    void onState(QMediaRecorder::RecorderState state);
    void onError(QMediaRecorder::Error error, const QString &message);
    void onDuration(qint64 durationMs);
    void onStartDeadline();
    bool restart(); // false once the attempts are used up
    void finish();
    void discard();
    void retire();
    void retired(Pipeline *pipeline);
    static void removeFilesOf(Pipeline *pipeline);
    static void drop(Pipeline *pipeline);

    QAudioDevice m_device;
    QAudioDevice m_recordingDevice;
    QMediaFormat m_format;
    Pipeline *m_pipeline = nullptr;
    QList<Pipeline *> m_retiring; // cancelled or restarted, finishing their end of stream
    QTimer *m_startDeadline;
    QString m_path;
    int m_attempts = 0;
    bool m_stopping = false;
};

} // namespace chattermesh::media

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaError.h"

#include <QAudioDevice>
#include <QMediaFormat>
#include <QMediaRecorder>
#include <QObject>
#include <optional>

namespace chattermesh::media {

// Records a voice note from an audio input into a compressed file, through Qt Multimedia
// (QMediaCaptureSession + QAudioInput + QMediaRecorder). The format is chosen at run time from
// what the backend can encode, best first: Ogg/Opus, then Ogg/Vorbis, then WebM/Opus.
//
// start() answers at once with a typed error or Unit; afterwards exactly one of finished() or
// failed() follows a stop(), and nothing follows a cancel() (whose file is removed).
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

Q_SIGNALS:
    void durationChanged(qint64 durationMs);
    void finished(const QString &path, qint64 durationMs);
    void failed(chattermesh::media::MediaError error, const QString &message);

private:
    void onState(QMediaRecorder::RecorderState state);
    void onError(QMediaRecorder::Error error, const QString &message);
    void finish();
    void discard();
    void teardown();

    struct Pipeline;

    QAudioDevice m_device;
    Pipeline *m_pipeline = nullptr;
    QString m_path;
    bool m_stopping = false;
};

} // namespace chattermesh::media

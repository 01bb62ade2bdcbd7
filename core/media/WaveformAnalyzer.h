// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaError.h"

#include <QAudioDecoder>
#include <QByteArray>
#include <QObject>
#include <chrono>
#include <vector>

class QTimer;

namespace chattermesh::media {

// Decodes an audio file (a recorded voice note, or any audio the backend can play) and sums it up
// as Buckets peak levels and its exact duration. Asynchronous like VideoPoster: exactly one of
// ready() or failed() per start(), never from inside start(). Needs only a QCoreApplication and an
// event loop on its thread.
class WaveformAnalyzer : public QObject {
    Q_OBJECT
public:
    static constexpr int Buckets = 64;
    static constexpr std::chrono::milliseconds DefaultTimeout { 30'000 };

    explicit WaveformAnalyzer(std::chrono::milliseconds timeout = DefaultTimeout, QObject *parent = nullptr);
    ~WaveformAnalyzer() override;

    void start(const QString &path);
    // Stops a running request; neither signal follows.
    void cancel();
    bool isRunning() const { return m_decoder != nullptr; }

    // Folds per-slice peaks (0..1, in time order) into Buckets levels 0..255. Public so the
    // arithmetic can be checked without a decoder.
    static QByteArray summarise(const std::vector<float> &slicePeaks);

Q_SIGNALS:
    void ready(const QByteArray &waveform, qint64 durationMs);
    void failed(chattermesh::media::MediaError error, const QString &message);

private:
    void onBuffer();
    void onFinished();
    void onError(QAudioDecoder::Error error);
    void fail(MediaError error, const QString &message);
    void failLater(MediaError error, const QString &message);
    void teardown();

    std::chrono::milliseconds m_timeout;
    QTimer *m_deadline; // a child, so it moves to a worker thread with us
    QAudioDecoder *m_decoder = nullptr; // not a child: deleted later, see teardown()
    // Peaks of fixed 10 ms slices: the total length is unknown until the end, so the 64 buckets
    // are formed afterwards. A ten-minute note is 60,000 floats.
    std::vector<float> m_slices;
    float m_slicePeak = 0;
    qint64 m_sliceFrames = 0; // frames already in the open slice
    qint64 m_frames = 0;
    int m_sampleRate = 0;
};

} // namespace chattermesh::media

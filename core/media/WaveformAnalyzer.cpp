// SPDX-License-Identifier: GPL-3.0-or-later
#include "WaveformAnalyzer.h"

#include "MediaLog.h"

#include <QAudioBuffer>
#include <QFileInfo>
#include <QTimer>
#include <QUrl>
#include <cmath>

using namespace Qt::StringLiterals;

namespace chattermesh::media {

namespace {

constexpr int SlicesPerSecond = 100;

} // namespace

WaveformAnalyzer::WaveformAnalyzer(std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent), m_timeout(timeout), m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this,
        [this] { fail(MediaError::Timeout, u"audio not decoded within %1 ms"_s.arg(m_timeout.count())); });
}

WaveformAnalyzer::~WaveformAnalyzer()
{
    teardown();
}

void WaveformAnalyzer::start(const QString &path)
{
    if (isRunning()) {
        failLater(MediaError::Busy, u"a waveform is already being made"_s);
        return;
    }
    const QFileInfo info(path);
    if (!info.exists()) {
        failLater(MediaError::FileMissing, u"no file at %1"_s.arg(path));
        return;
    }
    if (!info.isFile() || !info.isReadable()) {
        failLater(MediaError::Unreadable, u"%1 is not a readable file"_s.arg(path));
        return;
    }
    m_slices.clear();
    m_slicePeak = 0;
    m_sliceFrames = 0;
    m_frames = 0;
    m_sampleRate = 0;
    m_decoder = new QAudioDecoder;
    connect(m_decoder, &QAudioDecoder::bufferReady, this, &WaveformAnalyzer::onBuffer);
    connect(m_decoder, &QAudioDecoder::finished, this, &WaveformAnalyzer::onFinished);
    connect(
        m_decoder, qOverload<QAudioDecoder::Error>(&QAudioDecoder::error), this, &WaveformAnalyzer::onError);
    m_deadline->start(m_timeout);
    // GStreamer needs an absolute file URL; a relative one fails as "resource not found".
    m_decoder->setSource(QUrl::fromLocalFile(info.absoluteFilePath()));
    m_decoder->start();
}

void WaveformAnalyzer::cancel()
{
    teardown();
}

void WaveformAnalyzer::onBuffer()
{
    if (!isRunning())
        return;
    const QAudioBuffer buffer = m_decoder->read();
    const QAudioFormat format = buffer.format();
    if (!buffer.isValid() || !format.isValid())
        return;
    if (m_sampleRate == 0)
        m_sampleRate = format.sampleRate();
    const qint64 sliceFrames = qMax(1, m_sampleRate / SlicesPerSecond);
    const int channels = format.channelCount();
    const int bytesPerSample = format.bytesPerSample();
    const auto *data = buffer.constData<char>();
    const qint64 frames = buffer.frameCount();
    for (qint64 f = 0; f < frames; ++f) {
        for (int c = 0; c < channels; ++c) {
            const float v = std::fabs(format.normalizedSampleValue(data));
            m_slicePeak = qMax(m_slicePeak, v);
            data += bytesPerSample;
        }
        if (++m_sliceFrames == sliceFrames) {
            m_slices.push_back(m_slicePeak);
            m_slicePeak = 0;
            m_sliceFrames = 0;
        }
    }
    m_frames += frames;
}

void WaveformAnalyzer::onFinished()
{
    if (!isRunning())
        return;
    if (m_sliceFrames > 0)
        m_slices.push_back(m_slicePeak);
    if (m_frames == 0 || m_sampleRate <= 0) {
        fail(MediaError::UnsupportedMedia, u"the file holds no decodable audio"_s);
        return;
    }
    // Counted from the samples themselves: exact, where the container's figure is an estimate.
    const qint64 durationMs = m_frames * 1000 / m_sampleRate;
    const QByteArray waveform = summarise(m_slices);
    teardown();
    Q_EMIT ready(waveform, durationMs);
}

void WaveformAnalyzer::onError(QAudioDecoder::Error error)
{
    if (!isRunning())
        return;
    const QString message = m_decoder->errorString();
    qCDebug(lcMedia) << "audio decoder error" << error << message;
    fail(MediaError::UnsupportedMedia, message);
}

QByteArray WaveformAnalyzer::summarise(const std::vector<float> &slicePeaks)
{
    QByteArray levels(Buckets, '\0');
    const auto n = qsizetype(slicePeaks.size());
    if (n == 0)
        return levels;
    for (int b = 0; b < Buckets; ++b) {
        // Bucket b covers slices [first, last); shorter clips than 64 slices repeat a slice.
        const qsizetype first = b * n / Buckets;
        const qsizetype last = qMax(first + 1, (b + 1) * n / Buckets);
        float peak = 0;
        for (qsizetype i = first; i < last; ++i)
            peak = qMax(peak, slicePeaks[size_t(i)]);
        levels[b] = char(qRound(qBound(0.0f, peak, 1.0f) * 255.0f));
    }
    return levels;
}

void WaveformAnalyzer::fail(MediaError error, const QString &message)
{
    teardown();
    Q_EMIT failed(error, message);
}

void WaveformAnalyzer::failLater(MediaError error, const QString &message)
{
    // Results never come out of start(): the caller may still be connecting its slots.
    QMetaObject::invokeMethod(
        this, [this, error, message] { Q_EMIT failed(error, message); }, Qt::QueuedConnection);
}

void WaveformAnalyzer::teardown()
{
    m_deadline->stop();
    if (m_decoder) {
        m_decoder->disconnect(this);
        m_decoder->stop();
        // Later: we may be inside one of its signals right now.
        m_decoder->deleteLater();
    }
    m_decoder = nullptr;
}

} // namespace chattermesh::media

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ImageThumbnailer.h"
#include "MediaError.h"
#include "MediaInfo.h"

#include <QObject>
#include <chrono>
#include <optional>

class QMimeType;

namespace chattermesh::media {

class VideoPoster;
class WaveformAnalyzer;

// Describes a file before it is sent (MediaInfo). Images and plain files are described
// synchronously by describeNow(); video and voice need Qt Multimedia and its event loop, so
// describe() answers with exactly one described() or failed() per call, never from inside it.
// One request at a time per object: make one probe per attachment.
//
// Without a hint the kind follows the content's MIME type: a decodable image is an Image, a video
// container a Video; audio is sent as a File unless the caller says it is a Voice note, and an
// image or video nothing can decode falls back to File. With a hint that the content contradicts,
// the answer is an error (UnsupportedImage / UnsupportedMedia) instead.
// Videos need a QGuiApplication process (see VideoPoster).
class MediaProbe : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds DefaultTimeout { 15'000 };

    explicit MediaProbe(std::chrono::milliseconds timeout = DefaultTimeout, QObject *parent = nullptr);
    ~MediaProbe() override;

    // Images and files only; a Video or Voice (by hint or content) is refused with NeedsEventLoop.
    static MediaResult<MediaInfo> describeNow(
        const QString &path, std::optional<MediaKind> hint = std::nullopt);
    void describe(const QString &path, std::optional<MediaKind> hint = std::nullopt);
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void described(const chattermesh::media::MediaInfo &info);
    void failed(chattermesh::media::MediaError error, const QString &message);

private:
    struct Plan {
        MediaInfo base; // kind, name, MIME type and size filled in
        bool hinted = false;
    };
    static MediaResult<Plan> plan(const QString &path, std::optional<MediaKind> hint);
    static MediaResult<MediaInfo> describeImage(const QString &path, Plan plan);
    void onPoster(const QImage &frame, qint64 durationMs);
    void onWaveform(const QByteArray &waveform, qint64 durationMs);
    void onFailed(MediaError error, const QString &message);
    void deliver(const MediaResult<MediaInfo> &result);

    std::chrono::milliseconds m_timeout;
    VideoPoster *m_poster = nullptr;
    WaveformAnalyzer *m_waveform = nullptr;
    Plan m_plan;
    bool m_running = false;
};

} // namespace chattermesh::media

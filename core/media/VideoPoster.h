// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaError.h"

#include <QImage>
#include <QMediaPlayer>
#include <QObject>
#include <chrono>

class QTimer;
class QVideoFrame;

namespace chattermesh::media {

// The poster frame (the first decodable frame), the duration and the dimensions of a video,
// through Qt Multimedia. Asynchronous: start() returns at once and exactly one of ready() or
// failed() follows, never from inside start(). Works on any thread with an event loop: create it
// there, or move it there while idle.
//
// The process must be a QGuiApplication (QT_QPA_PLATFORM=offscreen is enough): Qt 6.4's
// QVideoFrame::toImage() asks the GUI platform integration whether it can convert on the GPU and
// crashes when there is none. Without one, failed(NeedsGuiApplication) is reported instead.
class VideoPoster : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds DefaultTimeout { 15'000 };

    // The timeout bounds the whole request: GStreamer may stall on a truncated file for ever.
    explicit VideoPoster(std::chrono::milliseconds timeout = DefaultTimeout, QObject *parent = nullptr);
    ~VideoPoster() override;

    void start(const QString &path);
    // Stops a running request; neither signal follows.
    void cancel();
    bool isRunning() const { return m_playback != nullptr; }

Q_SIGNALS:
    // The frame at its decoded size (size() is the video's size); durationMs is 0 when the
    // container does not tell.
    void ready(const QImage &frame, qint64 durationMs);
    void failed(chattermesh::media::MediaError error, const QString &message);

private:
    void onFrame(const QVideoFrame &frame);
    void onStatus(QMediaPlayer::MediaStatus status);
    void onError(QMediaPlayer::Error error, const QString &message);
    void finishIfComplete();
    bool noVideo() const;
    void fail(MediaError error, const QString &message);
    void failLater(MediaError error, const QString &message);
    void teardown();

    struct Playback;

    std::chrono::milliseconds m_timeout;
    QTimer *m_deadline; // a child, so it moves to the worker thread with us
    Playback *m_playback = nullptr;
    QImage m_frame;
    bool m_loaded = false; // the backend knows the duration once the media is loaded
};

} // namespace chattermesh::media

// SPDX-License-Identifier: GPL-3.0-or-later
#include "VideoPoster.h"

#include "MediaLog.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QTimer>
#include <QUrl>
#include <QVideoFrame>
#include <QVideoSink>

using namespace Qt::StringLiterals;

namespace chattermesh::media {

// One request's player and sink. Not our children: they are deleted later, as one, so that a
// nested event loop inside a backend destructor never finds a sibling half-destroyed.
struct VideoPoster::Playback : QObject {
    QVideoSink sink; // declared first: the player, which renders into it, goes first
    QMediaPlayer player;
};

VideoPoster::VideoPoster(std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent), m_timeout(timeout), m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this,
        [this] { fail(MediaError::Timeout, u"no poster frame within %1 ms"_s.arg(m_timeout.count())); });
}

VideoPoster::~VideoPoster()
{
    teardown();
}

void VideoPoster::start(const QString &path)
{
    if (isRunning()) {
        failLater(MediaError::Busy, u"a poster is already being made"_s);
        return;
    }
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        failLater(MediaError::NeedsGuiApplication,
            u"video frames can only be converted in a QGuiApplication (Qt 6.4)"_s);
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

    m_frame = {};
    m_loaded = false;
    m_playback = new Playback;
    QMediaPlayer &player = m_playback->player;
    // No audio output is set, so nothing is heard and no audio device is opened.
    player.setVideoOutput(&m_playback->sink);
    connect(&m_playback->sink, &QVideoSink::videoFrameChanged, this, &VideoPoster::onFrame);
    connect(&player, &QMediaPlayer::mediaStatusChanged, this, &VideoPoster::onStatus);
    connect(&player, &QMediaPlayer::errorOccurred, this, &VideoPoster::onError);
    m_deadline->start(m_timeout);
    // GStreamer needs an absolute file URL; a relative one fails as "resource not found".
    player.setSource(QUrl::fromLocalFile(info.absoluteFilePath()));
    // Playing (not just loading) is what makes the sink receive the first frame.
    player.play();
}

void VideoPoster::cancel()
{
    teardown();
}

void VideoPoster::onFrame(const QVideoFrame &frame)
{
    if (!isRunning() || !m_frame.isNull() || !frame.isValid())
        return;
    m_frame = frame.toImage();
    if (m_frame.isNull()) {
        fail(MediaError::UnsupportedMedia, u"the first video frame could not be converted"_s);
        return;
    }
    finishIfComplete();
}

void VideoPoster::onStatus(QMediaPlayer::MediaStatus status)
{
    if (!isRunning())
        return;
    switch (status) {
    case QMediaPlayer::LoadedMedia:
    case QMediaPlayer::BufferingMedia:
    case QMediaPlayer::BufferedMedia:
        m_loaded = true;
        finishIfComplete();
        break;
    case QMediaPlayer::EndOfMedia:
        m_loaded = true;
        if (m_frame.isNull())
            fail(MediaError::NoVideoStream, u"the file played to its end without a video frame"_s);
        else
            finishIfComplete();
        break;
    case QMediaPlayer::InvalidMedia:
        fail(noVideo() ? MediaError::NoVideoStream : MediaError::UnsupportedMedia,
            m_playback->player.errorString());
        break;
    default:
        break;
    }
}

void VideoPoster::onError(QMediaPlayer::Error error, const QString &message)
{
    if (!isRunning())
        return;
    qCDebug(lcMedia) << "video backend error" << error << message;
    fail(noVideo() ? MediaError::NoVideoStream : MediaError::UnsupportedMedia, message);
}

void VideoPoster::finishIfComplete()
{
    // The first frame usually arrives before the duration is known: wait for both.
    if (m_frame.isNull() || !m_loaded)
        return;
    const QImage frame = m_frame;
    const qint64 duration = qMax<qint64>(m_playback->player.duration(), 0);
    teardown();
    Q_EMIT ready(frame, duration);
}

void VideoPoster::fail(MediaError error, const QString &message)
{
    teardown();
    Q_EMIT failed(error, message);
}

void VideoPoster::failLater(MediaError error, const QString &message)
{
    // Results never come out of start(): the caller may still be connecting its slots.
    QMetaObject::invokeMethod(
        this, [this, error, message] { Q_EMIT failed(error, message); }, Qt::QueuedConnection);
}

bool VideoPoster::noVideo() const
{
    // An audio-only file errors out (its audio has no output) instead of reaching its end.
    return m_playback->player.hasAudio() && !m_playback->player.hasVideo();
}

void VideoPoster::teardown()
{
    m_deadline->stop();
    if (m_playback) {
        m_playback->player.disconnect(this);
        m_playback->sink.disconnect(this);
        m_playback->player.stop();
        // Later: we may be inside one of their signals right now.
        m_playback->deleteLater();
    }
    m_playback = nullptr;
    m_frame = {};
}

} // namespace chattermesh::media

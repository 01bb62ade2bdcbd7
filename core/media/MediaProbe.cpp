// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaProbe.h"

#include "MediaLog.h"
#include "VideoPoster.h"
#include "WaveformAnalyzer.h"

#include <QFileInfo>
#include <QImageReader>
#include <QMimeDatabase>

using namespace Qt::StringLiterals;

namespace chattermesh::media {

namespace {

MediaKind kindFromContent(const QMimeType &mime)
{
    const QString name = mime.name();
    if (name.startsWith(u"image/"_s) && QImageReader::supportedMimeTypes().contains(name.toLatin1()))
        return MediaKind::Image;
    if (name.startsWith(u"video/"_s))
        return MediaKind::Video;
    // Audio is a voice note only when the caller recorded it as one; a shared song is a file.
    return MediaKind::File;
}

} // namespace

MediaProbe::MediaProbe(std::chrono::milliseconds timeout, QObject *parent)
    : QObject(parent), m_timeout(timeout)
{ }

MediaProbe::~MediaProbe() = default;

MediaResult<MediaProbe::Plan> MediaProbe::plan(const QString &path, std::optional<MediaKind> hint)
{
    const QFileInfo info(path);
    if (!info.exists())
        return MediaFailure { MediaError::FileMissing, u"no file at %1"_s.arg(path) };
    if (!info.isFile() || !info.isReadable())
        return MediaFailure { MediaError::Unreadable, u"%1 is not a readable file"_s.arg(path) };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return MediaFailure { MediaError::Unreadable, file.errorString() };

    // Content first, then the name: a photo saved as .bin is still a photo.
    const QMimeType mime = QMimeDatabase().mimeTypeForFileNameAndData(info.fileName(), &file);
    Plan plan;
    plan.hinted = hint.has_value();
    plan.base.kind = hint.value_or(kindFromContent(mime));
    plan.base.mimeType = mime.name();
    plan.base.fileName = info.fileName();
    plan.base.size = info.size();
    return plan;
}

MediaResult<MediaInfo> MediaProbe::describeImage(const QString &path, Plan plan)
{
    const auto image = ImageThumbnailer().describe(path);
    if (!image) {
        if (plan.hinted)
            return image.error();
        // Claimed to be an image but nothing decodes it: still sendable, as a file.
        qCDebug(lcMedia) << "undecodable" << plan.base.mimeType << "sent as a file";
        plan.base.kind = MediaKind::File;
        return plan.base;
    }
    MediaInfo info = plan.base;
    info.width = image->size.width();
    info.height = image->size.height();
    info.thumbnail = image->thumbnail;
    return info;
}

MediaResult<MediaInfo> MediaProbe::describeNow(const QString &path, std::optional<MediaKind> hint)
{
    const auto planned = plan(path, hint);
    if (!planned)
        return planned.error();
    switch (planned->base.kind) {
    case MediaKind::Image:
        return describeImage(path, planned.value());
    case MediaKind::File:
        return planned->base;
    case MediaKind::Video:
    case MediaKind::Voice:
        break;
    }
    return MediaFailure { MediaError::NeedsEventLoop,
        u"videos and voice notes need MediaProbe::describe()"_s };
}

void MediaProbe::describe(const QString &path, std::optional<MediaKind> hint)
{
    if (m_running) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT failed(MediaError::Busy, u"already describing a file"_s); },
            Qt::QueuedConnection);
        return;
    }
    m_running = true;
    const auto planned = plan(path, hint);
    if (!planned || planned->base.kind == MediaKind::Image || planned->base.kind == MediaKind::File) {
        // Synchronous work, asynchronous answer: callers see one delivery path for every kind.
        MediaResult<MediaInfo> result = !planned     ? MediaResult<MediaInfo>(planned.error())
            : planned->base.kind == MediaKind::Image ? describeImage(path, planned.value())
                                                     : MediaResult<MediaInfo>(planned->base);
        QMetaObject::invokeMethod(
            this, [this, result] { deliver(result); }, Qt::QueuedConnection);
        return;
    }
    m_plan = planned.value();
    if (m_plan.base.kind == MediaKind::Video) {
        if (!m_poster) {
            m_poster = new VideoPoster(m_timeout, this);
            connect(m_poster, &VideoPoster::ready, this, &MediaProbe::onPoster);
            connect(m_poster, &VideoPoster::failed, this, &MediaProbe::onFailed);
        }
        m_poster->start(path);
    } else {
        if (!m_waveform) {
            m_waveform = new WaveformAnalyzer(m_timeout, this);
            connect(m_waveform, &WaveformAnalyzer::ready, this, &MediaProbe::onWaveform);
            connect(m_waveform, &WaveformAnalyzer::failed, this, &MediaProbe::onFailed);
        }
        m_waveform->start(path);
    }
}

void MediaProbe::onPoster(const QImage &frame, qint64 durationMs)
{
    MediaInfo info = m_plan.base;
    info.width = frame.width();
    info.height = frame.height();
    info.durationMs = durationMs;
    info.thumbnail = ImageThumbnailer().encode(frame);
    deliver(info);
}

void MediaProbe::onWaveform(const QByteArray &waveform, qint64 durationMs)
{
    MediaInfo info = m_plan.base;
    info.durationMs = durationMs;
    info.waveform = waveform;
    deliver(info);
}

void MediaProbe::onFailed(MediaError error, const QString &message)
{
    const bool undecodable = error == MediaError::UnsupportedMedia || error == MediaError::NoVideoStream;
    if (!m_plan.hinted && undecodable) {
        // Looked like a video but does not play here: still sendable, as a file.
        qCDebug(lcMedia) << "unplayable" << m_plan.base.mimeType << "sent as a file";
        MediaInfo info = m_plan.base;
        info.kind = MediaKind::File;
        deliver(info);
        return;
    }
    deliver(MediaFailure { error, message });
}

void MediaProbe::deliver(const MediaResult<MediaInfo> &result)
{
    m_running = false;
    if (result)
        Q_EMIT described(result.value());
    else
        Q_EMIT failed(result.error().code, result.error().message);
}

} // namespace chattermesh::media

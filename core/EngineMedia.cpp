// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's media half: composing attachment messages, driving the transfer worker, and recording
// what it reports (docs/media.md).
#include "AttachmentKind.h"
#include "AttachmentReader.h"
#include "BulkPriority.h"
#include "Engine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <algorithm>
#include <limits>

namespace chattermesh::core {

using namespace Qt::StringLiterals;

namespace {

content::Media::Kind kindFor(const QString &mime, Engine::MediaKindHint hint)
{
    if (hint == Engine::MediaKindHint::Voice)
        return content::Media::VOICE;
    if (mime.startsWith(u"image/"))
        return content::Media::IMAGE;
    if (mime.startsWith(u"video/"))
        return content::Media::VIDEO;
    return content::Media::FILE;
}

// What the probe found, for the bubble to show before anything is downloaded.
void describe(content::Media &m, const media::MediaInfo &info)
{
    m.set_kind(contentKind(info.kind));
    if (!info.mimeType.isEmpty())
        m.set_mime_type(info.mimeType.toStdString()); // from the content, not only the name
    m.set_width(quint32(std::max(info.width, 0)));
    m.set_height(quint32(std::max(info.height, 0)));
    m.set_duration_ms(quint32(std::clamp<qint64>(info.durationMs, 0, std::numeric_limits<quint32>::max())));
    m.set_thumbnail(info.thumbnail.toStdString());
    m.set_waveform(info.waveform.toStdString());
}

std::optional<content::Content> parseContent(const QByteArray &bytes)
{
    content::Content c;
    if (bytes.isEmpty() || !c.ParseFromArray(bytes.constData(), int(bytes.size())) || !c.has_media())
        return std::nullopt;
    return c;
}

} // namespace

QString Engine::mediaDir() const
{
    return m_options.storePath + u".media"_s;
}

QString Engine::recordingsDir() const
{
    return mediaDir() + u"/rec"_s;
}

QString Engine::newRecordingPath(const QString &suffix)
{
    if (!QDir().mkpath(recordingsDir()))
        return QString();
    // Random, not sequential: a name says nothing about how many notes were recorded.
    return recordingsDir() + u'/' + QString::fromLatin1(newClientMsgId().toHex()) + u'.' + suffix;
}

bool Engine::isOwnRecording(const QString &path) const
{
    return QFileInfo(path).absolutePath() == QFileInfo(recordingsDir()).absoluteFilePath();
}

MediaResult<StoredMessage> Engine::sendVoiceNote(const MediaTarget &to, const QString &path)
{
    auto sent = sendMedia(to, path, QString(), MediaKindHint::Voice);
    if (!sent && isOwnRecording(path))
        QFile::remove(path);
    return sent;
}

void Engine::dropRecording(qint64 localId)
{
    const auto t = m_store.transfers().get(localId);
    if (!t || !t->upload || !isOwnRecording(t->source))
        return;
    if (QFile::exists(t->source) && !QFile::remove(t->source))
        qCWarning(lcEngine) << "cannot remove a sent recording";
}

void Engine::sweepRecordings()
{
    const QDir dir(recordingsDir());
    if (!dir.exists())
        return;
    const auto keep = m_store.transfers().unsealedSources();
    if (!keep)
        return void(fail(keep.error()));
    for (const QFileInfo &file : dir.entryInfoList(QDir::Files)) {
        if (!keep.value().contains(file.absoluteFilePath()))
            QFile::remove(file.absoluteFilePath());
    }
}

MediaResult<StoredMessage> Engine::sendMedia(
    const MediaTarget &to, const QString &path, const QString &caption, MediaKindHint hint)
{
    if (!m_store.isOpen())
        return Failure<MediaError> { MediaError::Storage, u"store is not open"_s };
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable())
        return Failure<MediaError> { MediaError::SourceUnreadable, u"cannot read %1"_s.arg(path) };
    const QString mime = QMimeDatabase().mimeTypeForFile(info).name();
    content::Content c;
    content::Media *media = c.mutable_media();
    media->set_kind(kindFor(mime, hint));
    media->set_mime_type(mime.toStdString());
    // A voice note's file name says nothing worth sending (ours is random): only its type.
    const QString fileName
        = hint == MediaKindHint::Voice ? u"voice-note."_s + info.suffix() : info.fileName();
    media->set_file_name(fileName.toStdString());
    media->set_size(quint64(info.size()));
    media->set_caption(caption.toStdString());
    c.set_sent_ms(now());
    const QByteArray content = QByteArray::fromStdString(c.SerializeAsString());
    const QByteArray id = newClientMsgId();
    const QString body = caption.isEmpty() ? fileName : caption;

    Transaction tx(m_store.db());
    if (!tx.began())
        return Failure<MediaError> { MediaError::Storage, u"cannot begin a transaction"_s };
    auto m = to.group > 0
        ? m_store.composeGroup(m_username, to.group, body, content, MessageKind::Media, id, now())
        : m_store.composeMedia(m_username, to.peer, body, content, id, now());
    if (!m)
        return Failure<MediaError> { MediaError::Storage, m.error().message };
    Transfer t;
    t.message = m.value().localId;
    t.upload = true;
    t.state = TransferState::Preparing;
    t.source = info.absoluteFilePath();
    t.file = mediaDir() + u"/out/"_s + QString::fromLatin1(id.toHex()) + u".blob"_s;
    if (auto r = m_store.transfers().add(t, now()); !r)
        return Failure<MediaError> { MediaError::Storage, r.error().message };
    if (auto r = tx.commit(); !r)
        return Failure<MediaError> { MediaError::Storage, r.error().message };
    Q_EMIT messageAdded(m.value());
    startUpload(t.message, t);
    return m.value();
}

void Engine::startUpload(qint64 localId, const Transfer &t)
{
    const auto c = parseContent(m_store.contentOf(localId));
    if (!c)
        return onTransferFailed(localId, MediaError::Storage, u"the message lost its attachment"_s);
    UploadJob job;
    job.message = localId;
    job.source = t.source;
    job.spool = t.file;
    job.kind = assetKindName(c->media().kind());
    job.assetId = t.assetId;
    job.key.bytes = QByteArray::fromStdString(c->media().key());
    job.digest = QByteArray::fromStdString(c->media().digest());
    job.blobSize = qint64(c->media().blob_size());
    job.plainSize = qint64(c->media().size());
    job.voiceNote = c->media().kind() == content::Media::VOICE;
    QMetaObject::invokeMethod(m_transfers, [w = m_transfers, job] { w->upload(job); });
}

void Engine::startTransfers()
{
    m_transferThread = new QThread(this);
    m_transferThread->setObjectName(u"transfers"_s);
    m_transfers = new TransferWorker(m_options.minBackoffMs, m_options.maxBackoffMs);
    m_transfers->moveToThread(m_transferThread);
    connect(m_transferThread, &QThread::finished, m_transfers, &QObject::deleteLater);
    connect(m_transfers, &TransferWorker::prepared, this, &Engine::onPrepared);
    connect(m_transfers, &TransferWorker::created, this, &Engine::onAssetCreated);
    connect(m_transfers, &TransferWorker::started, this, &Engine::transferStarted);
    connect(m_transfers, &TransferWorker::progress, this, &Engine::transferProgress);
    connect(m_transfers, &TransferWorker::uploaded, this, &Engine::onUploaded);
    connect(m_transfers, &TransferWorker::downloaded, this, &Engine::onDownloaded);
    connect(m_transfers, &TransferWorker::failed, this, &Engine::onTransferFailed);
    connect(m_transfers, &TransferWorker::retrying, this, &Engine::transferRetrying);
    m_transferThread->start();
    QMetaObject::invokeMethod(m_transfers, &lowerToBulkPriority);
    sweepRecordings();
    // What a restart interrupted goes on; the worker waits for the endpoint (sign-in).
    auto active = m_store.transfers().active();
    if (!active)
        return void(fail(active.error()));
    for (const Transfer &t : std::as_const(active.value())) {
        if (t.upload)
            startUpload(t.message, t);
        else
            download(t.message);
    }
}

void Engine::stopTransfers()
{
    if (!m_transferThread)
        return;
    QMetaObject::invokeMethod(m_transfers, &TransferWorker::stopAll, Qt::BlockingQueuedConnection);
    m_transferThread->quit();
    m_transferThread->wait();
    delete m_transferThread;
    m_transferThread = nullptr;
    m_transfers = nullptr; // deleted by its thread's finished()
}

void Engine::updateAssetEndpoint(quint32 assetPort)
{
    if (assetPort == 0 || !m_transfers)
        return;
    const QUrl ws = m_connection->url();
    QUrl url;
    url.setScheme(ws.scheme() == u"wss" ? u"https"_s : u"http"_s);
    url.setHost(ws.host());
    url.setPort(int(assetPort));
    m_assetUrl = url;
    std::optional<QSslConfiguration> tls;
    QString spki;
    if (url.scheme() == u"https") {
        // The WebSocket connection already verified (and pinned) this server with the same CAs.
        if (auto config = sync::TlsTrust::configuration(m_options.tlsCaFile); config.ok())
            tls = config.value();
        if (m_options.pinCertificate)
            spki = m_pins.pinned(sync::TlsTrust::endpoint(ws)).value_or(QString());
    }
    QMetaObject::invokeMethod(m_transfers, [w = m_transfers, url, token = m_token, tls, spki] {
        if (tls)
            w->setTls(*tls, spki);
        w->setEndpoint(url, token);
    });
}

void Engine::onPrepared(const UploadJob &job)
{
    if (transferCancelled(job.message))
        return;
    auto c = parseContent(m_store.contentOf(job.message));
    if (!c)
        return;
    content::Media *media = c->mutable_media();
    media->set_key(job.key.bytes.toStdString());
    media->set_digest(job.digest.toStdString());
    media->set_blob_size(quint64(job.blobSize));
    media->set_size(quint64(job.plainSize));
    if (job.info)
        describe(*media, *job.info);
    Transaction tx(m_store.db());
    if (auto r = m_store.setContent(job.message, QByteArray::fromStdString(c->SerializeAsString())); !r)
        return void(fail(r.error()));
    if (auto r = m_store.transfers().setState(job.message, TransferState::Uploading, now()); !r)
        return void(fail(r.error()));
    if (auto r = tx.commit(); !r)
        return void(fail(r.error()));
    dropRecording(job.message); // sealed into the spool: the plaintext is not needed any more
    Q_EMIT transferChanged(job.message, TransferState::Uploading, MediaError::None, QString());
}

void Engine::onAssetCreated(qint64 localId, const QString &assetId)
{
    auto c = parseContent(m_store.contentOf(localId));
    if (!c)
        return;
    c->mutable_media()->set_asset_id(assetId.toStdString());
    Transaction tx(m_store.db());
    if (auto r = m_store.setContent(localId, QByteArray::fromStdString(c->SerializeAsString())); !r)
        return void(fail(r.error()));
    if (auto r = m_store.transfers().setAsset(localId, assetId, now()); !r)
        return void(fail(r.error()));
    if (auto r = tx.commit(); !r)
        fail(r.error());
}

bool Engine::transferCancelled(qint64 localId)
{
    const auto t = m_store.transfers().get(localId);
    return t && t->state == TransferState::Cancelled;
}

void Engine::onUploaded(qint64 localId)
{
    // The worker finished just before it heard of the cancel: the message stays withdrawn, and the
    // unreferenced asset is swept by the server.
    if (transferCancelled(localId))
        return;
    {
        // The message and its outbox row together: it goes out exactly once, after its bytes.
        Transaction tx(m_store.db());
        if (auto r = m_store.transfers().setState(localId, TransferState::Done, now()); !r)
            return void(fail(r.error()));
        if (auto r = m_store.outbox().enqueue(localId); !r)
            return void(fail(r.error()));
        if (auto r = tx.commit(); !r)
            return void(fail(r.error()));
    }
    Q_EMIT transferChanged(localId, TransferState::Done, MediaError::None, QString());
    // Texts composed after it may have gone out already: the send pass pages on from the last row
    // it sent, so it must look back to this older one.
    m_outboxCursor = std::min(m_outboxCursor, localId - 1);
    m_sendPending = true;
    m_flushTimer.start();
}

void Engine::onDownloaded(qint64 localId)
{
    setTransferState(localId, TransferState::Done);
}

void Engine::onTransferFailed(qint64 localId, MediaError error, const QString &why)
{
    qCWarning(lcEngine) << "transfer of message" << localId << "failed:" << mediaErrorName(error) << why;
    const auto t = m_store.transfers().get(localId);
    if (t && t->state == TransferState::Cancelled)
        return;
    setTransferState(localId, TransferState::Failed, error, why);
    if (t && t->upload) {
        dropRecording(localId);
        failUnsentMessage(localId, why);
    }
}

// An upload that can never finish (or that the user cancelled) fails its message visibly; nothing
// is left pending for ever. It never reached the outbox, so nothing else has to be withdrawn.
void Engine::failUnsentMessage(qint64 localId, const QString &why)
{
    auto r = m_store.markFailed(m_store.clientMsgIdOf(localId), why);
    if (!r)
        return void(fail(r.error()));
    Q_EMIT messageStateChanged(r.value());
}

void Engine::setTransferState(qint64 localId, TransferState state, MediaError error, const QString &why)
{
    if (auto r = m_store.transfers().setState(localId, state, now(), error, why); !r)
        fail(r.error());
    Q_EMIT transferChanged(localId, state, error, why);
}

void Engine::pauseTransfer(qint64 localId)
{
    const auto t = m_store.transfers().get(localId);
    if (!t
        || (t->state != TransferState::Uploading && t->state != TransferState::Downloading
            && t->state != TransferState::Preparing))
        return;
    QMetaObject::invokeMethod(m_transfers, [w = m_transfers, localId] { w->pause(localId); });
    setTransferState(localId, TransferState::Paused);
}

void Engine::resumeTransfer(qint64 localId)
{
    const auto t = m_store.transfers().get(localId);
    if (!t || (t->state != TransferState::Paused && !(t->state == TransferState::Failed && !t->upload)))
        return;
    if (!t->upload)
        return download(localId);
    const auto c = parseContent(m_store.contentOf(localId));
    setTransferState(
        localId, c && !c->media().key().empty() ? TransferState::Uploading : TransferState::Preparing);
    startUpload(localId, *t);
}

void Engine::cancelTransfer(qint64 localId)
{
    const auto t = m_store.transfers().get(localId);
    if (!t || t->state == TransferState::Done || t->state == TransferState::Cancelled)
        return;
    QMetaObject::invokeMethod(m_transfers, [w = m_transfers, localId] { w->cancel(localId); });
    setTransferState(localId, TransferState::Cancelled, MediaError::Cancelled, tr("Cancelled"));
    if (t->upload) {
        dropRecording(localId);
        failUnsentMessage(localId, tr("Cancelled"));
    }
}

void Engine::download(qint64 localId)
{
    const auto c = parseContent(m_store.contentOf(localId));
    if (!c || c->media().asset_id().empty()) {
        Q_EMIT transferChanged(
            localId, TransferState::Failed, MediaError::NotFound, tr("No attachment to download"));
        return;
    }
    auto t = m_store.transfers().get(localId);
    if (t && t->state == TransferState::Done) {
        Q_EMIT transferChanged(localId, TransferState::Done, MediaError::None, QString());
        return;
    }
    Transfer nt;
    nt.message = localId;
    nt.upload = false;
    nt.state = TransferState::Downloading;
    nt.assetId = QString::fromStdString(c->media().asset_id());
    nt.file = mediaDir() + u"/in/"_s + nt.assetId + u".blob"_s;
    if (auto r = m_store.transfers().add(nt, now()); !r)
        return void(fail(r.error()));
    Q_EMIT transferChanged(localId, TransferState::Downloading, MediaError::None, QString());
    DownloadJob job;
    job.message = localId;
    job.assetId = nt.assetId;
    job.file = nt.file;
    job.key.bytes = QByteArray::fromStdString(c->media().key());
    job.digest = QByteArray::fromStdString(c->media().digest());
    job.blobSize = qint64(c->media().blob_size());
    QMetaObject::invokeMethod(m_transfers, [w = m_transfers, job] { w->download(job); });
}

std::optional<content::Media> Engine::mediaOf(qint64 localId)
{
    const auto c = parseContent(m_store.contentOf(localId));
    if (!c)
        return std::nullopt;
    return c->media();
}

MediaResult<QByteArray> Engine::readMedia(qint64 localId)
{
    const auto c = parseContent(m_store.contentOf(localId));
    const auto t = m_store.transfers().get(localId);
    if (!c || !t || t->state != TransferState::Done)
        return Failure<MediaError> { MediaError::NotFound, tr("The attachment is not downloaded") };
    QFile f(t->file);
    if (!f.open(QIODevice::ReadOnly))
        return Failure<MediaError> { MediaError::Storage, f.errorString() };
    auto plain = crypto::decryptBlob(
        f.readAll(), crypto::AttachmentKey { QByteArray::fromStdString(c->media().key()) });
    if (!plain)
        return Failure<MediaError> { MediaError::DigestMismatch, plain.error().message };
    return plain.value();
}

QIODevice *Engine::openMedia(qint64 localId, QObject *parent)
{
    const auto c = parseContent(m_store.contentOf(localId));
    const auto t = m_store.transfers().get(localId);
    if (!c || !t || t->state != TransferState::Done)
        return nullptr;
    auto *reader = new crypto::AttachmentReader(
        t->file, crypto::AttachmentKey { QByteArray::fromStdString(c->media().key()) }, parent);
    if (!reader->open(QIODevice::ReadOnly)) {
        delete reader;
        return nullptr;
    }
    return reader;
}

} // namespace chattermesh::core

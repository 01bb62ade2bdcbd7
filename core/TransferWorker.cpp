// SPDX-License-Identifier: GPL-3.0-or-later
#include "TransferWorker.h"

#include "AttachmentKind.h"
#include "MediaProbe.h"
#include "TlsTrust.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QtConcurrent>

namespace chattermesh::core {

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

using namespace Qt::StringLiterals;

namespace {

constexpr int kTransferTimeoutMs = 30'000; // a server that stops answering mid-chunk

struct PrepareResult {
    MediaError error = MediaError::None;
    QString why;
    UploadJob job;
    bool describeLater = false; // a video or voice note: Qt Multimedia needs the worker's event loop
};

// Images and plain files are described here, off the worker's thread (decoding a large photo takes
// a while); videos and voice notes are left to describeLater(), which needs an event loop.
void describeNow(PrepareResult &r)
{
    if (r.job.voiceNote) {
        r.describeLater = true;
        return;
    }
    const auto info = media::MediaProbe::describeNow(r.job.source);
    if (info)
        r.job.info = info.value();
    else if (info.error().code == media::MediaError::NeedsEventLoop)
        r.describeLater = true;
    else // still sent, described only by its MIME type; reading it will fail loudly below if it must
        qCWarning(lcEngine) << "cannot describe an attachment:" << info.error().message;
}

PrepareResult prepareInBackground(const UploadJob &job)
{
    PrepareResult r;
    r.job = job;
    describeNow(r);
    QFile in(job.source);
    if (!in.open(QIODevice::ReadOnly)) {
        r.error = MediaError::SourceUnreadable;
        r.why = QStringLiteral("cannot read %1: %2").arg(job.source, in.errorString());
        return r;
    }
    QDir().mkpath(QFileInfo(job.spool).absolutePath());
    QFile out(job.spool);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        r.error = MediaError::Storage;
        r.why = QStringLiteral("cannot write the spool: %1").arg(out.errorString());
        return r;
    }
    r.job.key = crypto::AttachmentKey::generate();
    auto enc = crypto::encryptStream(in, out, r.job.key);
    if (!enc || !out.flush()) {
        r.error = enc ? MediaError::Storage : MediaError::SourceUnreadable;
        r.why = enc ? out.errorString() : enc.error().message;
        return r;
    }
    r.job.digest = enc.value().digest;
    r.job.blobSize = enc.value().blobSize;
    r.job.plainSize = enc.value().plainSize;
    return r;
}

// JSON numbers are doubles; offsets stay exact up to 2^53 bytes.
qint64 offsetIn(const QJsonObject &body)
{
    return qint64(body.value(u"offset"_s).toDouble());
}

MediaError errorForStatus(int status, const QString &code)
{
    switch (status) {
    case 401:
        return MediaError::InvalidToken;
    case 403:
        return MediaError::PermissionDenied;
    case 404:
        return MediaError::NotFound;
    case 413:
        return MediaError::TooLarge;
    default:
        return mediaErrorFromCode(code);
    }
}

} // namespace

struct TransferWorker::Job {
    Job(int minMs, int maxMs) : backoff(minMs, maxMs) { }
    bool upload = true;
    UploadJob up;
    DownloadJob down;
    Step step = Step::Prepare;
    QPointer<QNetworkReply> reply;
    sync::Backoff backoff;
    quint64 generation = 0; // bumped by pause and cancel: late callbacks of an old run are ignored
    qint64 offset = 0;
    bool startedReported = false;
    bool recreated = false; // the server lost the upload once (expired): started over
    qint64 message() const { return upload ? up.message : down.message; }
    qint64 total() const { return upload ? up.blobSize : down.blobSize; }
};

TransferWorker::TransferWorker(int minBackoffMs, int maxBackoffMs, QObject *parent)
    : QObject(parent),
      m_net(new QNetworkAccessManager(this)),
      m_minBackoffMs(minBackoffMs),
      m_maxBackoffMs(maxBackoffMs)
{
    m_net->setAutoDeleteReplies(false);
}

TransferWorker::~TransferWorker()
{
    stopAll();
}

void TransferWorker::setEndpoint(const QUrl &base, const QByteArray &token)
{
    const bool changed = base != m_base || token != m_token;
    m_base = base;
    m_token = token;
    if (!changed)
        return;
    // Jobs that were waiting for an address (or retrying against an old one) go now.
    for (const auto &job : std::as_const(m_jobs))
        if (!job->reply && job->step != Step::Prepare && job->step != Step::Verify)
            run(*job);
}

void TransferWorker::setTls(const QSslConfiguration &config, const QString &spkiSha256)
{
    m_tls = config;
    m_spkiSha256 = spkiSha256;
}

void TransferWorker::upload(const UploadJob &u)
{
    if (m_jobs.contains(u.message))
        return;
    auto job = std::make_shared<Job>(m_minBackoffMs, m_maxBackoffMs);
    job->upload = true;
    job->up = u;
    const bool spoolReady = u.key.valid() && u.blobSize > 0 && QFileInfo(u.spool).size() == u.blobSize;
    job->step = !spoolReady ? Step::Prepare : u.assetId.isEmpty() ? Step::Create : Step::Offset;
    m_jobs.insert(u.message, job);
    run(*job);
}

void TransferWorker::download(const DownloadJob &d)
{
    if (m_jobs.contains(d.message))
        return;
    auto job = std::make_shared<Job>(m_minBackoffMs, m_maxBackoffMs);
    job->upload = false;
    job->down = d;
    job->step = Step::Get;
    m_jobs.insert(d.message, job);
    run(*job);
}

void TransferWorker::halt(Job &job)
{
    ++job.generation; // whatever is still in flight for it is ignored when it lands
    if (job.reply)
        job.reply->abort();
}

void TransferWorker::pause(qint64 message)
{
    if (auto job = m_jobs.take(message))
        halt(*job);
}

void TransferWorker::cancel(qint64 message)
{
    auto job = m_jobs.take(message);
    if (!job)
        return;
    halt(*job);
    if (job->upload) {
        if (!job->up.assetId.isEmpty() && m_base.isValid()) {
            QNetworkReply *del = request(*job, "DELETE", u"/v1/assets/"_s + job->up.assetId);
            connect(del, &QNetworkReply::finished, del, &QObject::deleteLater);
        }
        QFile::remove(job->up.spool);
    } else {
        QFile::remove(job->down.file + u".part"_s);
    }
}

void TransferWorker::stopAll()
{
    const auto jobs = m_jobs;
    m_jobs.clear();
    for (const auto &job : jobs)
        halt(*job);
}

QNetworkReply *TransferWorker::request(
    Job &job, const QByteArray &verb, const QString &path, const QByteArray &body, qint64 rangeFrom)
{
    QUrl url = m_base;
    const int q = int(path.indexOf(u'?'));
    url.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    QNetworkRequest req(url);
    req.setRawHeader("Authorization", "Bearer " + m_token);
    req.setTransferTimeout(kTransferTimeoutMs);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (verb == "POST")
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    else if (verb == "PUT")
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
    if (rangeFrom >= 0)
        req.setRawHeader("Range",
            "bytes=" + QByteArray::number(rangeFrom) + '-'
                + QByteArray::number(std::min(rangeFrom + kChunk, job.total()) - 1));
    if (m_tls && url.scheme() == u"https")
        req.setSslConfiguration(*m_tls);
    QNetworkReply *reply = verb == "GET" ? m_net->get(req) : m_net->sendCustomRequest(req, verb, body);
    // Untrusted: verification failed (never ignored) or the key is not the pinned one. Marked on
    // the reply so onReply fails the transfer instead of retrying what cannot heal.
    connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError> &errors) {
        reply->setProperty("untrusted", sync::TlsTrust::describe(errors));
    });
    // The key check runs before the request (and its token) leaves: Qt 6.4 emits `encrypted` from
    // its HTTP thread through a blocking queued connection, and only then writes the request into
    // the TLS socket, whose flush to the wire is posted to that thread after the abort queued here;
    // the abort comes first and the request is dropped unsent. That is Qt's HTTP/1.1 path, the only
    // one used here (HTTP/2 is off above). tst_Tls::assetPortWithAnotherKeyGetsNothing checks it.
    if (!m_spkiSha256.isEmpty())
        connect(reply, &QNetworkReply::encrypted, reply, [reply, expected = m_spkiSha256] {
            const QString seen = sync::TlsTrust::spkiSha256(reply->sslConfiguration().peerCertificate());
            if (seen == expected)
                return;
            reply->setProperty("untrusted",
                QStringLiteral(
                    "the asset service's key (sha256 %1) is not the server's pinned key (sha256 %2)")
                    .arg(seen, expected));
            reply->abort();
        });
    return reply;
}

void TransferWorker::run(Job &job)
{
    if (job.step == Step::Prepare)
        return prepare(job);
    if (job.step == Step::Verify)
        return verify(job);
    if (!m_base.isValid() || m_token.isEmpty())
        return; // setEndpoint() starts it once signed in
    const qint64 message = job.message();
    QNetworkReply *reply = nullptr;
    const QString asset = u"/v1/assets/"_s + (job.upload ? job.up.assetId : job.down.assetId);
    switch (job.step) {
    case Step::Create: {
        const QJsonObject o { { u"kind"_s, job.up.kind }, { u"size"_s, double(job.up.blobSize) } };
        reply = request(job, "POST", u"/v1/assets"_s, QJsonDocument(o).toJson(QJsonDocument::Compact));
        break;
    }
    case Step::Offset:
        reply = request(job, "GET", asset + u"/offset"_s);
        break;
    case Step::Put: {
        QFile spool(job.up.spool);
        if (!spool.open(QIODevice::ReadOnly) || !spool.seek(job.offset))
            return fail(
                message, MediaError::Storage, u"the encrypted spool is gone: "_s + spool.errorString());
        const QByteArray chunk = spool.read(std::min(kChunk, job.up.blobSize - job.offset));
        reply = request(job, "PUT", asset + u"?offset="_s + QString::number(job.offset), chunk);
        break;
    }
    case Step::Finish: {
        const QJsonObject o { { u"digest"_s, QString::fromLatin1(job.up.digest.toHex()) } };
        reply = request(job, "POST", asset + u"/finish"_s, QJsonDocument(o).toJson(QJsonDocument::Compact));
        break;
    }
    case Step::Get: {
        QFile part(job.down.file + u".part"_s);
        job.offset = part.exists() ? part.size() : 0;
        if (job.offset >= job.down.blobSize) {
            job.step = Step::Verify;
            return verify(job);
        }
        if (!job.startedReported) {
            job.startedReported = true;
            Q_EMIT started(message, job.offset, job.down.blobSize);
        }
        reply = request(job, "GET", asset, {}, job.offset);
        break;
    }
    case Step::Prepare:
    case Step::Verify:
        break;
    }
    job.reply = reply;
    const quint64 generation = job.generation;
    connect(reply, &QNetworkReply::finished, this, [this, message, reply, generation] {
        reply->deleteLater();
        auto it = m_jobs.find(message);
        if (it == m_jobs.end() || (*it)->generation != generation)
            return; // paused or cancelled meanwhile
        onReply(message, reply);
    });
}

void TransferWorker::onReply(qint64 message, QNetworkReply *reply)
{
    auto job = m_jobs.value(message);
    job->reply = nullptr;
    if (const QVariant untrusted = reply->property("untrusted"); untrusted.isValid())
        return fail(message, MediaError::Untrusted, untrusted.toString());
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttr.isValid())
        return retry(*job, MediaError::Network, reply->errorString());
    const int status = statusAttr.toInt();
    if (status >= 500)
        return retry(*job, MediaError::Network, QStringLiteral("the server answered %1").arg(status));
    if (!job->upload)
        return handleDownload(*job, status, reply);
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    handleUpload(*job, status, body);
}

void TransferWorker::handleUpload(Job &job, int status, const QJsonObject &body)
{
    const qint64 message = job.message();
    const QString code = body.value(u"error"_s).toString();
    if (status >= 400) {
        if (code == u"OFFSET_MISMATCH" && body.contains(u"offset"_s)) {
            job.offset = offsetIn(body);
            job.step = job.offset >= job.up.blobSize ? Step::Finish : Step::Put;
            return run(job);
        }
        if (code == u"ALREADY_COMPLETE") {
            job.step = Step::Offset;
            return run(job);
        }
        if (status == 404 && job.step != Step::Create && !job.recreated) {
            // The server dropped the unfinished upload (it expired): the spool is still here.
            job.recreated = true;
            job.up.assetId.clear();
            job.step = Step::Create;
            return run(job);
        }
        const QString why = body.value(u"message"_s).toString();
        return fail(message, errorForStatus(status, code),
            why.isEmpty() ? QStringLiteral("the asset service answered %1").arg(status) : why);
    }
    job.backoff.reset();
    switch (job.step) {
    case Step::Create:
        job.up.assetId = body.value(u"id"_s).toString();
        if (job.up.assetId.isEmpty())
            return fail(message, MediaError::Server, QStringLiteral("the asset service gave no id"));
        Q_EMIT created(message, job.up.assetId);
        job.step = Step::Offset;
        return run(job);
    case Step::Offset:
        if (body.value(u"complete"_s).toBool()) {
            m_jobs.remove(message);
            return Q_EMIT uploaded(message);
        }
        job.offset = offsetIn(body);
        if (!job.startedReported) {
            job.startedReported = true;
            Q_EMIT started(message, job.offset, job.up.blobSize);
        }
        job.step = job.offset >= job.up.blobSize ? Step::Finish : Step::Put;
        return run(job);
    case Step::Put:
        job.offset = offsetIn(body);
        Q_EMIT progress(message, job.offset, job.up.blobSize);
        job.step = job.offset >= job.up.blobSize ? Step::Finish : Step::Put;
        return run(job);
    case Step::Finish:
        m_jobs.remove(message);
        Q_EMIT uploaded(message);
        return;
    default:
        return;
    }
}

void TransferWorker::handleDownload(Job &job, int status, QNetworkReply *reply)
{
    const qint64 message = job.message();
    if (status == 416 && job.offset >= job.down.blobSize) {
        job.step = Step::Verify;
        return verify(job);
    }
    if (status != 200 && status != 206) {
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        const QString why = body.value(u"message"_s).toString();
        return fail(message, errorForStatus(status, body.value(u"error"_s).toString()),
            why.isEmpty() ? QStringLiteral("the asset service answered %1").arg(status) : why);
    }
    QByteArray bytes = reply->readAll();
    if (status == 200 && job.offset > 0)
        bytes = bytes.mid(job.offset); // a server that ignored the range sent everything again
    if (job.offset + bytes.size() > job.down.blobSize)
        return fail(message, MediaError::DigestMismatch,
            QStringLiteral("the server sent more bytes than the attachment has"));
    QFile part(job.down.file + u".part"_s);
    QDir().mkpath(QFileInfo(part).absolutePath());
    if (!part.open(QIODevice::WriteOnly | QIODevice::Append) || part.write(bytes) != bytes.size())
        return fail(message, MediaError::Storage, part.errorString());
    part.close();
    job.backoff.reset();
    job.offset += bytes.size();
    Q_EMIT progress(message, job.offset, job.down.blobSize);
    if (bytes.isEmpty())
        return retry(job, MediaError::Server, QStringLiteral("empty range"));
    job.step = job.offset >= job.down.blobSize ? Step::Verify : Step::Get;
    run(job);
}

void TransferWorker::prepare(Job &job)
{
    const qint64 message = job.message();
    const quint64 generation = job.generation;
    auto *watcher = new QFutureWatcher<PrepareResult>(this);
    connect(watcher, &QFutureWatcher<PrepareResult>::finished, this, [this, watcher, message, generation] {
        watcher->deleteLater();
        const PrepareResult r = watcher->result();
        auto it = m_jobs.find(message);
        if (it == m_jobs.end() || (*it)->generation != generation)
            return;
        if (r.error != MediaError::None)
            return fail(message, r.error, r.why);
        Job &job = **it;
        job.up = r.job;
        if (r.describeLater)
            return describeLater(job);
        finishPreparing(job);
    });
    // Encrypting 100 MB takes a while: off this thread, so other transfers keep moving.
    watcher->setFuture(QtConcurrent::run(prepareInBackground, job.up));
}

void TransferWorker::describeLater(Job &job)
{
    const qint64 message = job.message();
    const quint64 generation = job.generation;
    auto *probe = new media::MediaProbe(media::MediaProbe::DefaultTimeout, this);
    const auto current = [this, probe, message, generation]() -> Job * {
        probe->deleteLater();
        auto it = m_jobs.find(message);
        return it == m_jobs.end() || (*it)->generation != generation ? nullptr : it->get();
    };
    connect(probe, &media::MediaProbe::described, this, [this, current](const media::MediaInfo &info) {
        if (Job *job = current()) {
            job->up.info = info;
            finishPreparing(*job);
        }
    });
    connect(probe, &media::MediaProbe::failed, this,
        [this, current](media::MediaError error, const QString &why) {
            Job *job = current();
            if (!job)
                return;
            // A voice note must be one: the bubble would offer to play what cannot be played.
            if (job->up.voiceNote && error != media::MediaError::NeedsGuiApplication)
                return fail(job->message(), MediaError::Unsupported, u"not a playable voice note: "_s + why);
            // Anything else is still sent, described only by its MIME type.
            qCWarning(lcEngine) << "cannot describe an attachment:" << why;
            finishPreparing(*job);
        });
    std::optional<media::MediaKind> hint;
    if (job.up.voiceNote)
        hint = media::MediaKind::Voice;
    probe->describe(job.up.source, hint);
}

void TransferWorker::finishPreparing(Job &job)
{
    if (job.up.info)
        job.up.kind = assetKindName(contentKind(job.up.info->kind));
    Q_EMIT prepared(job.up);
    job.step = Step::Create;
    run(job);
}

void TransferWorker::verify(Job &job)
{
    const qint64 message = job.message();
    const quint64 generation = job.generation;
    const DownloadJob d = job.down;
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, message, generation, d] {
        watcher->deleteLater();
        const QString problem = watcher->result();
        auto it = m_jobs.find(message);
        if (it == m_jobs.end() || (*it)->generation != generation)
            return;
        const QString part = d.file + u".part"_s;
        if (!problem.isEmpty()) {
            // Never kept, never shown: the next try downloads it again from the start.
            QFile::remove(part);
            return fail(message, MediaError::DigestMismatch, problem);
        }
        QFile::remove(d.file);
        if (!QFile::rename(part, d.file))
            return fail(message, MediaError::Storage, QStringLiteral("cannot keep the downloaded file"));
        m_jobs.remove(message);
        Q_EMIT downloaded(message);
    });
    // What went wrong, or nothing: the whole blob is hashed off this thread.
    watcher->setFuture(QtConcurrent::run([d]() -> QString {
        QFile part(d.file + u".part"_s);
        if (!part.open(QIODevice::ReadOnly))
            return part.errorString();
        const auto r = crypto::verifyBlob(part, d.key, d.digest);
        return r ? QString() : r.error().message;
    }));
}

void TransferWorker::retry(Job &job, MediaError error, const QString &why)
{
    const int delay = job.backoff.nextDelayMs();
    const qint64 message = job.message();
    const quint64 generation = job.generation;
    Q_EMIT retrying(message, error, why, delay);
    // Start again from the server's view (upload) or from what is on disk (download).
    job.step = job.upload ? (job.up.assetId.isEmpty() ? Step::Create : Step::Offset) : Step::Get;
    QTimer::singleShot(delay, this, [this, message, generation] {
        auto it = m_jobs.find(message);
        if (it != m_jobs.end() && (*it)->generation == generation && !(*it)->reply)
            run(**it);
    });
}

void TransferWorker::fail(qint64 message, MediaError error, const QString &why)
{
    m_jobs.remove(message);
    Q_EMIT failed(message, error, why);
}

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AttachmentCipher.h"
#include "Backoff.h"
#include "MediaError.h"
#include "MediaInfo.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QUrl>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace chattermesh::core {

// What an upload needs. An empty key means the file has not been prepared yet: the worker describes
// it (media::MediaProbe) and encrypts it into `spool` first, and reports the key, digest, sizes and
// description with prepared().
struct UploadJob {
    qint64 message = 0;
    QString source; // plaintext file
    QString spool; // ciphertext file, kept until the upload is finished
    QString kind = QStringLiteral("file"); // image, video, voice, file (the server's limit per kind)
    QString assetId;
    crypto::AttachmentKey key;
    QByteArray digest;
    qint64 blobSize = 0;
    qint64 plainSize = 0;
    bool voiceNote = false; // the user recorded it as one: the probe must find audio
    // Filled while preparing: dimensions, duration, thumbnail or waveform for the message. Empty
    // when the file could not be described (it is still sent, as what its MIME type says).
    std::optional<media::MediaInfo> info;
};

struct DownloadJob {
    qint64 message = 0;
    QString assetId;
    QString file; // where the verified ciphertext is kept (the encrypted cache)
    crypto::AttachmentKey key;
    QByteArray digest;
    qint64 blobSize = 0;
};

// Moves attachment bytes between the device and the asset service (docs/media.md) on its own
// thread, so neither the GUI nor the engine's WebSocket traffic ever waits on a file: chunked
// uploads that resume from the server's offset, ranged downloads that resume from what is on disk,
// retries with backoff while the server cannot be reached, pause and cancel. It never touches the
// store; the engine records what it reports.
class TransferWorker : public QObject {
    Q_OBJECT
public:
    TransferWorker(int minBackoffMs, int maxBackoffMs, QObject *parent = nullptr);
    ~TransferWorker() override;

    static constexpr qint64 kChunk = 1024 * 1024; // what we send per PUT and ask per range

    // All of these are called on the worker's thread (QMetaObject::invokeMethod).
    void setEndpoint(const QUrl &base, const QByteArray &token);
    // For an https:// endpoint: whom to trust, and the key it must show (the WebSocket's pinned
    // key: both ports serve the one certificate; empty: any key that verifies). A reply that
    // fails either fails its transfer for good (MediaError::Untrusted), without retrying.
    void setTls(const QSslConfiguration &config, const QString &spkiSha256);
    void upload(const chattermesh::core::UploadJob &job);
    void download(const chattermesh::core::DownloadJob &job);
    void pause(qint64 message); // stops; the job can be started again later
    void cancel(qint64 message); // stops and deletes the server's partial upload and the spool
    void stopAll();

Q_SIGNALS:
    void prepared(const chattermesh::core::UploadJob &job);
    void created(qint64 message, const QString &assetId);
    // `offset`: where this run starts (the server's offset or the partial download on disk).
    void started(qint64 message, qint64 offset, qint64 total);
    void progress(qint64 message, qint64 done, qint64 total);
    void uploaded(qint64 message);
    void downloaded(qint64 message);
    void retrying(qint64 message, chattermesh::core::MediaError error, const QString &why, int delayMs);
    void failed(qint64 message, chattermesh::core::MediaError error, const QString &why);

private:
    struct Job;
    enum class Step { Prepare, Create, Offset, Put, Finish, Get, Verify };

    void run(Job &job);
    void halt(Job &job);
    void onReply(qint64 message, QNetworkReply *reply);
    void handleUpload(Job &job, int status, const QJsonObject &body);
    void handleDownload(Job &job, int status, QNetworkReply *reply);
    void prepare(Job &job);
    void describeLater(Job &job);
    void finishPreparing(Job &job);
    void sendChunk(Job &job);
    void verify(Job &job);
    void retry(Job &job, MediaError error, const QString &why);
    void fail(qint64 message, MediaError error, const QString &why);
    QNetworkReply *request(Job &job, const QByteArray &verb, const QString &path, const QByteArray &body = {},
        qint64 rangeFrom = -1);

    QNetworkAccessManager *m_net;
    QUrl m_base;
    QByteArray m_token;
    std::optional<QSslConfiguration> m_tls;
    QString m_spkiSha256;
    int m_minBackoffMs;
    int m_maxBackoffMs;
    QHash<qint64, std::shared_ptr<Job>> m_jobs;
};

} // namespace chattermesh::core

Q_DECLARE_METATYPE(chattermesh::core::UploadJob)
Q_DECLARE_METATYPE(chattermesh::core::DownloadJob)

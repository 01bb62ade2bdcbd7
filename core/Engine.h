// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Connection.h"
#include "DbKey.h"
#include "EndToEnd.h"
#include "InboundSequencer.h"
#include "LiveState.h"
#include "MessageStore.h"
#include "Opener.h"
#include "Sealer.h"
#include "TlsPinStore.h"
#include "TransferWorker.h"

#include <QHash>
#include <QObject>
#include <QThread>
#include <QTimer>

namespace chattermesh::core {

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

struct DeviceInfo {
    qint64 id = 0;
    QString name;
    qint64 createdMs = 0;
    qint64 lastSeenMs = 0;
    bool current = false;
};

struct EngineOptions {
    QUrl serverUrl;
    QString storePath;
    DbKey key;
    QString deviceName = QStringLiteral("ChatterMesh");
    const sync::Clock *clock = nullptr;
    int minBackoffMs = 250;
    int maxBackoffMs = 30'000;
    qint64 heartbeatMs = 15'000;
    qint64 deadAfterMs = 45'000;
    int sendWindow = 512; // messages in flight before their acks come back
    // A request unanswered this long makes the connection start over (sync::Connection::Options).
    qint64 requestTimeoutMs = 30'000;
    // Show messages that arrive without end-to-end encryption (payload_type 0). Off: only the
    // issue-2 catch-up benchmark, which feeds the engine from light protocol clients, sets it.
    bool acceptUnencrypted = false;
    // TLS (docs/operations.md, *TLS*). A wss:// server must present a certificate that verifies
    // against the system's CAs plus those in tlsCaFile (PEM; empty: none). With pinning, the key it
    // shows first is pinned in the store and a later different key is refused (tlsFailed,
    // CertificateChanged). allowPlainText: ws:// to a host other than loopback.
    QString tlsCaFile;
    bool pinCertificate = true;
    bool allowPlainText = false;
};

// One account on one device: owns the encrypted store, the connection and the outbox, and drives
// the delivery contract (docs/delivery.md). A plain QObject that does not assume its thread: the
// app moves it to a worker, tests and the CLI drive it on their own thread.
class Engine : public QObject {
    Q_OBJECT
public:
    enum class Status { Closed, SignedOut, Connecting, SigningIn, Syncing, Online };
    Q_ENUM(Status)

    explicit Engine(EngineOptions options, QObject *parent = nullptr);
    ~Engine() override;

    // Opens the store (a wrong key fails here, leaving the file untouched) and, when it holds a
    // session token, starts connecting.
    StoreResult<Unit> open();
    void close();

    Q_INVOKABLE void registerAccount(const QString &username, const QString &password);
    Q_INVOKABLE void login(const QString &username, const QString &password);
    Q_INVOKABLE void listDevices();
    Q_INVOKABLE void removeDevice(qint64 deviceId);

    // Stores the message and its outbox row in one transaction, then sends when connected.
    StoreResult<StoredMessage> sendText(const QString &peer, const QString &text);
    // Several at once (forwarding, sharing to many chats, a burst): stored together in one
    // transaction, then sent in order.
    struct OutgoingText {
        QString peer;
        QString text;
        qint64 group = 0; // a group's conversation id instead of a peer
    };
    StoreResult<QList<StoredMessage>> sendTexts(const QList<OutgoingText> &texts);
    StoreResult<QList<StoredMessage>> history(const QString &peer, qint64 beforeSeq, int limit);
    StoreResult<QList<ConversationInfo>> conversations() { return m_store.conversations(); }
    StoreResult<QList<StoredMessage>> groupHistory(qint64 group, qint64 beforeSeq, int limit);

    // Groups. Each request is answered by groupChanged (with the conversation and the seq of its
    // system event) or groupRequestFailed (with the server's typed error).
    quint64 createGroup(const QString &title, const QStringList &members, bool onlyAdminsSend = false);
    quint64 changeGroup(const proto::GroupChange &change);
    quint64 renameGroup(qint64 group, const QString &title);
    quint64 addMembers(qint64 group, const QStringList &users);
    quint64 removeMembers(qint64 group, const QStringList &users);
    quint64 leaveGroup(qint64 group);
    quint64 setAdmin(qint64 group, const QString &user, bool admin);
    quint64 setOnlyAdminsSend(qint64 group, bool only);
    StoreResult<StoredMessage> sendGroupText(qint64 group, const QString &text);
    std::optional<GroupState> group(qint64 group) { return m_store.groups().group(group); }
    // The end-to-end step alone, for a group message obtained some other way (tests check that a
    // removed member cannot read what is sent after its removal).
    crypto::CryptoResult<content::Content> decryptGroupPayload(
        qint64 group, const QString &sender, qint64 senderDevice, const QByteArray &payload);

    // Receipts and read markers. markRead: everything up to `seq` in the conversation (server id)
    // was shown; it is sent now or, offline, after the next sign-in.
    void markRead(qint64 conversation, qint64 seq);
    QList<MemberReceipt> receiptsOf(const QByteArray &clientMsgId);
    int unread(qint64 conversation);

    // Typing, presence and privacy (ephemeral; see LiveState).
    LiveState *live() { return m_liveState; }
    void composerChanged(qint64 conversation, const QString &text)
    {
        m_liveState->composerChanged(quint64(conversation), text);
    }
    void setPrivacy(proto::Visibility presence, bool readReceiptsOff);

    // Shared media (docs/media.md). The message is stored and shown at once; the file is encrypted
    // and uploaded on the transfer thread, and the message goes out once the server has every byte.
    // Texts sent meanwhile are not held up behind it.
    struct MediaTarget {
        QString peer;
        qint64 group = 0; // a group's server id instead of a peer
    };
    enum class MediaKindHint { Auto, Voice };
    MediaResult<StoredMessage> sendMedia(const MediaTarget &to, const QString &path,
        const QString &caption = {}, MediaKindHint hint = MediaKindHint::Auto);
    // Where the next voice note is recorded: a fresh path in this account's recordings folder
    // (created if missing); empty if it cannot be created. A file sent from there is the engine's:
    // it is removed once its encrypted spool is sealed, or when its upload fails or is cancelled,
    // so no plaintext recording outlives its message.
    QString newRecordingPath(const QString &suffix);
    // Sends a note recorded at newRecordingPath(); the recording is removed if it cannot be sent.
    MediaResult<StoredMessage> sendVoiceNote(const MediaTarget &to, const QString &path);
    // Recordings nothing will send: abandoned by a crash mid-recording, or left by a failed start.
    void sweepRecordings();
    void pauseTransfer(qint64 localId);
    void resumeTransfer(qint64 localId); // a paused transfer, or a failed download
    void cancelTransfer(qint64 localId);
    // Fetches a received attachment into the encrypted cache; its digest and MAC are checked first.
    void download(qint64 localId);
    std::optional<content::Media> mediaOf(qint64 localId);
    std::optional<Transfer> transferOf(qint64 localId) { return m_store.transfers().get(localId); }
    // The plaintext of a downloaded (or sent) attachment, decrypted in memory: images, thumbnails.
    MediaResult<QByteArray> readMedia(qint64 localId);
    // The same as a seekable device that decrypts as it is read (video, voice); nullptr if absent.
    QIODevice *openMedia(qint64 localId, QObject *parent = nullptr);
    QUrl assetUrl() const { return m_assetUrl; }

    // End-to-end trust. A verified peer whose keys change is not sent to until acceptIdentity().
    crypto::CryptoResult<crypto::SafetyNumber> safetyNumber(const QString &peer);
    bool setVerified(const QString &peer, bool verified);
    bool acceptIdentity(const QString &peer);
    bool isBlocked(const QString &peer) { return m_e2e && m_e2e->isBlocked(peer); }
    bool isVerified(const QString &peer) { return m_e2e && m_e2e->isVerified(peer); }

    // Composer drafts, per conversation as the UI names it (core/DraftStore.h).
    StoreResult<Unit> saveDraft(const QString &conversation, const QString &text)
    {
        return m_store.drafts().save(conversation, text, now());
    }
    StoreResult<QString> draft(const QString &conversation) { return m_store.drafts().get(conversation); }
    StoreResult<QHash<QString, QString>> drafts() { return m_store.drafts().all(); }
    StoreResult<Unit> setMuted(const QString &conversation, bool muted)
    {
        return m_store.drafts().setMuted(conversation, muted);
    }
    StoreResult<QSet<QString>> mutedConversations() { return m_store.drafts().muted(); }
    QByteArray identityKey() const { return m_e2e ? m_e2e->identityKey() : QByteArray(); }

    Status status() const { return m_status; }
    QString username() const { return m_username; }
    qint64 deviceId() const { return m_deviceId; }
    bool hasSession() const { return !m_token.isEmpty(); }
    // Drops the pinned key of the server (after its operator replaced the certificate); the next
    // connection pins the new one. Then reconnect with reconnect().
    StoreResult<Unit> forgetCertificatePin();
    // Starts connecting again after tlsFailed (or any stop), if there is a session to resume.
    void reconnect();
    int outboxSize() { return m_store.outbox().outboxSize(); }
    quint64 inboxCursor() const { return m_sequencer.accepted(); }
    sync::Connection *connection() { return m_connection; }
    MessageStore &store() { return m_store; }

Q_SIGNALS:
    void statusChanged(chattermesh::core::Engine::Status status);
    void authenticated(const QString &username, qint64 deviceId);
    void authFailed(chattermesh::proto::ErrorCode code, const QString &message);
    void messageAdded(const chattermesh::core::StoredMessage &message);
    void messageStateChanged(const chattermesh::core::StateChange &change);
    // A message shown as undecryptable became readable (the sender re-encrypted it): same row.
    void messageRepaired(const chattermesh::core::StoredMessage &message);
    void sendFailed(
        const QByteArray &clientMsgId, chattermesh::proto::ErrorCode code, const QString &message);
    void caughtUp();
    void storeFailed(chattermesh::core::StoreError code, const QString &message);
    void devicesListed(const QList<chattermesh::core::DeviceInfo> &devices);
    void groupChanged(quint64 requestId, qint64 conversation, qint64 seq);
    void groupRequestFailed(quint64 requestId, chattermesh::proto::ErrorCode code, const QString &message);
    // My read marker rose on another device, or a member's did (receipts).
    void readMarkerChanged(qint64 conversation);
    void requestFailed(chattermesh::proto::ErrorCode code, const QString &message);
    // `peer` has a new identity key (a reinstall or a new device); `peer` == username(): a new
    // device was added to this account.
    void identityChanged(const QString &peer, bool sendingBlocked);
    // A message arrived that could not be decrypted; the sender has been asked to send it again.
    void decryptFailed(
        const QByteArray &clientMsgId, chattermesh::crypto::CryptoError code, const QString &message);
    void keysUploaded(quint32 oneTimePreKeys);
    void replayRejected(const QByteArray &clientMsgId);
    // Attachments: a run starts at `offset` of `total` bytes (a resume starts past 0); progress
    // follows; then the transfer is done, failed (terminally, with why) or retried.
    void transferStarted(qint64 localId, qint64 offset, qint64 total);
    void transferProgress(qint64 localId, qint64 done, qint64 total);
    void transferChanged(qint64 localId, chattermesh::core::TransferState state,
        chattermesh::core::MediaError error, const QString &why);
    void transferRetrying(
        qint64 localId, chattermesh::core::MediaError error, const QString &why, int delayMs);
    // The server closed this device's session for good (removed, or taken over by another process).
    void sessionEnded(const QString &reason);
    // The server was refused before anything was sent (untrusted or changed certificate, bad CA
    // file, plain text beyond loopback). The engine does not retry: status goes to SignedOut
    // until reconnect() (or a new login).
    void tlsFailed(chattermesh::sync::TlsError error, const QString &message);

private:
    enum class Pending { Auth, Sync, ListDevices, RemoveDevice, Keys, Group, ReadMarker };

    void setStatus(Status s);
    void onReady();
    void onLost(const QString &reason);
    void onFrame(const proto::Frame &frame);
    void onSession(const proto::Session &s);
    void onError(quint64 requestId, const proto::Error &e);
    void onAck(const proto::Ack &ack);
    void onDeliver(const proto::MailboxEntry &entry);
    void onSyncBatch(const proto::SyncBatch &batch);
    void requestSync();
    void fillSendWindow();
    void sendReadMarkers();
    void onGroupAck(quint64 requestId, const proto::Ack &ack);
    void afterSignIn();
    void resendOutbox();
    void flushInbound();
    bool flushAcks(); // true when acks were stored (the send window has room again)
    void sendAuth();
    void fetchBundles(const QString &user);
    void onBundles(quint64 requestId, const proto::Bundles &bundles);
    // `group`: the refused send was to this group (server id), 0 otherwise.
    void onStaleDevices(const proto::DeviceMismatch &mismatch, qint64 group);
    bool isHeld(const OutboxItem &item);
    void uploadKeys(const proto::UploadKeys &upload);
    void checkKeys();
    static constexpr int kKeyCheckIntervalMs = 6 * 3600 * 1000;
    StoreResult<StoredMessage> addIdentityNotice(const EndToEnd::IdentityNotice &notice);
    // Queues a hidden outbox message asking `from` to send `clientMsgId` again.
    StoreResult<Unit> queueRetryRequest(const AddressedId &what);
    void sendAnswers();
    bool fail(const StoreFailure &f);
    qint64 now() const;
    static QByteArray newClientMsgId();
    // Media (EngineMedia.cpp).
    void startTransfers();
    void stopTransfers();
    void updateAssetEndpoint(quint32 assetPort);
    void startUpload(qint64 localId, const Transfer &t);
    void onPrepared(const UploadJob &job);
    void onAssetCreated(qint64 localId, const QString &assetId);
    void onUploaded(qint64 localId);
    void onDownloaded(qint64 localId);
    void onTransferFailed(qint64 localId, MediaError error, const QString &why);
    void failUnsentMessage(qint64 localId, const QString &why);
    bool transferCancelled(qint64 localId);
    void setTransferState(
        qint64 localId, TransferState state, MediaError error = MediaError::None, const QString &why = {});
    QString mediaDir() const;
    QString recordingsDir() const;
    bool isOwnRecording(const QString &path) const;
    // Removes the upload's source if it is one of our recordings (see newRecordingPath()).
    void dropRecording(qint64 localId);

    EngineOptions m_options;
    MessageStore m_store;
    std::unique_ptr<EndToEnd> m_e2e;
    std::unique_ptr<Sealer> m_sealer; // with m_e2e, while the store is open
    std::unique_ptr<Opener> m_opener;
    QHash<quint64, QString> m_fetches; // FetchBundles request id → username
    TlsPinStore m_pins { m_store.db(), [this] { return now(); } };
    sync::Connection *m_connection;
    InboundSequencer m_sequencer;
    Status m_status = Status::Closed;

    QString m_username;
    qint64 m_deviceId = 0;
    QByteArray m_token;
    proto::Frame m_authRequest; // Register or Login waiting for the connection; cleared once sent
    bool m_authInFlight = false;

    QHash<quint64, Pending> m_pending;
    QHash<quint64, std::pair<qint64, qint64>> m_readRequests; // MarkRead request → (conversation, seq)
    QHash<quint64, QByteArray> m_sendRequests; // request id → client_msg_id
    QHash<QByteArray, quint64> m_inFlight; // client_msg_id → request id
    qint64 m_outboxCursor = 0; // last outbox row sent on this connection
    bool m_syncInFlight = false;
    bool m_live = false;

    QList<proto::MailboxEntry> m_inbound; // accepted, not yet stored
    QList<AckInfo> m_acks; // received, not yet applied
    // Parented so that moveToThread() takes them along (members are destroyed before ~QObject).
    QHash<quint64, PendingAnswer> m_answerRequests; // request id → answer in flight
    QTimer m_flushTimer { this };
    QTimer m_keyCheckTimer { this };
    bool m_sendPending = false;
    QTimer m_retryTimer { this };
    bool m_rateLimited = false; // a Send got RATE_LIMITED: no new Sends until m_retryTimer fires
    LiveState *m_liveState = nullptr; // a child, created with the connection
    QThread *m_transferThread = nullptr; // while the store is open
    TransferWorker *m_transfers = nullptr; // lives on m_transferThread
    QUrl m_assetUrl;
};

} // namespace chattermesh::core

Q_DECLARE_METATYPE(chattermesh::core::DeviceInfo)

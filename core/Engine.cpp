// SPDX-License-Identifier: GPL-3.0-or-later
#include "Engine.h"

#include <openssl/rand.h>
#include <utility>

namespace chattermesh::core {

Q_LOGGING_CATEGORY(lcEngine, "chattermesh.core")

using namespace chattermesh::proto;

QByteArray Engine::newClientMsgId()
{
    QByteArray id(kClientMsgIdBytes, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(id.data()), int(id.size()));
    return id;
}

namespace {

// Errors that say "this message can never be accepted": the message fails visibly instead of
// being retried forever. Everything else is retried from the outbox.
bool isPermanentSendError(ErrorCode c)
{
    switch (c) {
    case USER_NOT_FOUND:
    case CONVERSATION_NOT_FOUND:
    case PAYLOAD_TOO_LARGE:
    case PERMISSION_DENIED:
    case INVALID_ARGUMENT:
        return true;
    default:
        return false;
    }
}

} // namespace

Engine::Engine(EngineOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    qRegisterMetaType<StoredMessage>();
    qRegisterMetaType<StateChange>();
    qRegisterMetaType<DeviceInfo>();
    qRegisterMetaType<UploadJob>();
    qRegisterMetaType<DownloadJob>();
    qRegisterMetaType<MediaError>();
    qRegisterMetaType<TransferState>();
    sync::Connection::Options co;
    co.url = m_options.serverUrl;
    co.minBackoffMs = m_options.minBackoffMs;
    co.maxBackoffMs = m_options.maxBackoffMs;
    co.heartbeatMs = m_options.heartbeatMs;
    co.deadAfterMs = m_options.deadAfterMs;
    co.clock = m_options.clock;
    co.caFile = m_options.tlsCaFile;
    co.pins = m_options.pinCertificate ? &m_pins : nullptr;
    co.allowPlainText = m_options.allowPlainText;
    co.requestTimeoutMs = m_options.requestTimeoutMs;
    m_connection = new sync::Connection(co, this);
    m_liveState = new LiveState(m_connection, m_options.clock, this);
    connect(m_connection, &sync::Connection::ready, this, &Engine::onReady);
    connect(m_connection, &sync::Connection::lost, this, &Engine::onLost);
    connect(m_connection, &sync::Connection::frameReceived, this, &Engine::onFrame);
    connect(m_connection, &sync::Connection::ended, this, [this](int code, const QString &reason) {
        onLost(reason);
        if (code == sync::Connection::kCloseDeviceRemoved) {
            m_token.clear();
            m_store.setMeta("token", QByteArray());
        }
        setStatus(Status::SignedOut);
        Q_EMIT sessionEnded(reason);
    });
    connect(m_connection, &sync::Connection::refused, this, [this](ErrorCode code, const QString &msg) {
        setStatus(Status::SignedOut);
        Q_EMIT authFailed(code, msg);
    });
    qRegisterMetaType<sync::TlsError>();
    connect(
        m_connection, &sync::Connection::tlsFailed, this, [this](sync::TlsError error, const QString &msg) {
            setStatus(Status::SignedOut);
            Q_EMIT tlsFailed(error, msg);
        });
    connect(m_connection, &sync::Connection::stateChanged, this, [this](sync::Connection::State s) {
        if (s == sync::Connection::State::Connecting && m_status != Status::Closed)
            setStatus(Status::Connecting);
    });
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    // One pass per event-loop turn: messages composed, delivered or acked in a burst share one
    // transaction (one fsync) each way instead of one per message.
    connect(&m_flushTimer, &QTimer::timeout, this, [this] {
        // Acks first: a receipt in this turn's inbound may be for a message acked in this turn.
        const bool acked = flushAcks();
        flushInbound();
        if (acked || std::exchange(m_sendPending, false))
            fillSendWindow();
        if (auto r = m_store.syncWal(); !r)
            fail(r.error());
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        m_rateLimited = false;
        resendOutbox();
    });
    // Signed prekeys age by the (injectable) clock; this only decides how often to look.
    m_keyCheckTimer.setInterval(kKeyCheckIntervalMs);
    connect(&m_keyCheckTimer, &QTimer::timeout, this, &Engine::checkKeys);
}

Engine::~Engine()
{
    close();
}

qint64 Engine::now() const
{
    return (m_options.clock ? m_options.clock : sync::SystemClock::instance())->nowMs();
}

bool Engine::fail(const StoreFailure &f)
{
    qCWarning(lcEngine) << "store failure:" << f.message;
    Q_EMIT storeFailed(f.code, f.message);
    return false;
}

void Engine::setStatus(Status s)
{
    if (m_status == s)
        return;
    m_status = s;
    m_liveState->setOnline(s == Status::Online);
    Q_EMIT statusChanged(s);
}

StoreResult<Unit> Engine::open()
{
    if (auto r = m_store.open(m_options.storePath, m_options.key); !r)
        return r;
    m_e2e = std::make_unique<EndToEnd>(m_store.db());
    m_sealer = std::make_unique<Sealer>(m_store, *m_e2e);
    m_opener = std::make_unique<Opener>(m_store, *m_e2e, m_options.acceptUnencrypted);
    if (auto r = m_e2e->init(now()); !r) {
        m_store.close();
        return StoreFailure { StoreError::Sql, QStringLiteral("end-to-end keys: %1").arg(r.error().message) };
    }
    m_username = QString::fromUtf8(m_store.meta("username"));
    m_deviceId = m_store.meta("device_id").toLongLong();
    m_token = m_store.meta("token");
    // The server this account lives on is remembered with it; an explicit URL wins (tests, moves).
    if (const QByteArray url = m_store.meta("server_url"); !url.isEmpty() && m_options.serverUrl.isEmpty())
        m_connection->setUrl(QUrl(QString::fromUtf8(url)));
    m_sequencer.reset(m_store.inboxCursor());
    startTransfers();
    setStatus(Status::SignedOut);
    if (!m_token.isEmpty()) {
        setStatus(Status::Connecting);
        m_connection->start();
    }
    return Unit {};
}

StoreResult<Unit> Engine::forgetCertificatePin()
{
    return m_pins.forget(sync::TlsTrust::endpoint(m_connection->url()));
}

void Engine::reconnect()
{
    if (m_status == Status::Closed || m_connection->state() != sync::Connection::State::Stopped)
        return;
    if (m_token.isEmpty() && m_authRequest.body_case() == Frame::BODY_NOT_SET)
        return;
    setStatus(Status::Connecting);
    m_connection->start();
}

void Engine::close()
{
    if (m_status == Status::Closed)
        return;
    m_flushTimer.stop();
    m_keyCheckTimer.stop();
    if (m_store.isOpen()) {
        flushInbound();
        flushAcks();
        m_store.syncWal();
    }
    m_connection->stop();
    stopTransfers();
    m_sealer.reset();
    m_opener.reset();
    m_e2e.reset();
    m_store.close();
    setStatus(Status::Closed);
}

void Engine::registerAccount(const QString &username, const QString &password)
{
    Frame f;
    auto *r = f.mutable_register_();
    r->set_username(username.toStdString());
    r->set_password(password.toStdString());
    r->set_device_name(m_options.deviceName.toStdString());
    m_authRequest = std::move(f);
    sendAuth();
}

void Engine::login(const QString &username, const QString &password)
{
    Frame f;
    auto *l = f.mutable_login();
    l->set_username(username.toStdString());
    l->set_password(password.toStdString());
    l->set_device_name(m_options.deviceName.toStdString());
    m_authRequest = std::move(f);
    sendAuth();
}

void Engine::sendAuth()
{
    if (m_connection->state() == sync::Connection::State::Stopped) {
        setStatus(Status::Connecting);
        m_connection->start();
        return; // onReady sends it
    }
    if (m_connection->state() != sync::Connection::State::Ready || m_authInFlight)
        return;
    Frame f;
    if (m_authRequest.body_case() != Frame::BODY_NOT_SET) {
        f = m_authRequest;
    } else if (!m_token.isEmpty()) {
        f.mutable_resume()->set_token(m_token.toStdString());
    } else {
        setStatus(Status::SignedOut);
        return;
    }
    setStatus(Status::SigningIn);
    m_authInFlight = true;
    m_pending.insert(m_connection->sendRequest(std::move(f)), Pending::Auth);
}

void Engine::onReady()
{
    m_fetches.clear();
    m_pending.clear();
    m_readRequests.clear();
    m_sendRequests.clear();
    m_answerRequests.clear();
    m_inFlight.clear();
    m_outboxCursor = 0;
    m_authInFlight = false;
    m_syncInFlight = false;
    m_live = false;
    sendAuth();
}

void Engine::onLost(const QString &reason)
{
    qCInfo(lcEngine) << "connection lost:" << reason;
    // Whatever was accepted but not yet stored is stored now; its ack simply will not go out and
    // the server re-delivers it, which the store ignores as a duplicate.
    flushInbound();
    flushAcks();
    m_inFlight.clear();
    m_sendRequests.clear();
    m_answerRequests.clear();
    m_pending.clear();
    m_readRequests.clear();
    m_fetches.clear();
    m_authInFlight = false;
    m_live = false;
    m_liveState->setOnline(false);
    if (m_status != Status::Closed && m_status != Status::SignedOut)
        setStatus(Status::Connecting);
}

void Engine::onFrame(const Frame &frame)
{
    switch (frame.body_case()) {
    case Frame::kSession:
        m_pending.remove(frame.request_id());
        // A repeated answer (the request or the answer was duplicated on the way) changes nothing.
        if (m_status == Status::Syncing || m_status == Status::Online)
            break;
        onSession(frame.session());
        break;
    case Frame::kError:
        onError(frame.request_id(), frame.error());
        break;
    case Frame::kAck:
        if (const auto p = m_pending.constFind(frame.request_id());
            p != m_pending.cend() && p.value() == Pending::Group) {
            onGroupAck(frame.request_id(), frame.ack());
            break;
        }
        if (auto answer = m_answerRequests.find(frame.request_id()); answer != m_answerRequests.end()) {
            m_store.outbox().removeAnswer(answer.value()); // stored by the server: delivered from there
            m_answerRequests.erase(answer);
            break;
        }
        onAck(frame.ack());
        break;
    case Frame::kDeliver:
        onDeliver(frame.deliver().entry());
        break;
    case Frame::kSyncBatch:
        // Only the answer to the Sync in flight: a repeated or late batch would end that Sync early.
        if (m_pending.remove(frame.request_id()) == 0)
            break;
        onSyncBatch(frame.sync_batch());
        break;
    case Frame::kPong:
        // The server says how far it pushed; anything we lack past our cursor was lost on the way.
        if (m_live && !m_syncInFlight && frame.pong().inbox_given() > m_sequencer.accepted()) {
            qCInfo(lcEngine) << "pushes lost: the server gave up to" << frame.pong().inbox_given()
                             << "we hold" << m_sequencer.accepted();
            requestSync();
        }
        break;
    case Frame::kDeviceList: {
        if (m_pending.remove(frame.request_id()) == 0)
            break;
        QList<DeviceInfo> list;
        for (const auto &d : frame.device_list().devices())
            list.append({ qint64(d.device_id()), QString::fromStdString(d.name()), d.created_ms(),
                d.last_seen_ms(), d.current() });
        Q_EMIT devicesListed(list);
        break;
    }
    case Frame::kDeviceRemoved:
        m_pending.remove(frame.request_id());
        listDevices();
        break;
    case Frame::kBundles:
        if (m_fetches.contains(frame.request_id()))
            onBundles(frame.request_id(), frame.bundles());
        break;
    case Frame::kKeysUploaded:
        m_pending.remove(frame.request_id());
        Q_EMIT keysUploaded(frame.keys_uploaded().one_time_pre_keys());
        break;
    case Frame::kKeysLow:
        if (auto up = m_e2e->topUp(frame.keys_low().one_time_pre_keys()))
            uploadKeys(*up);
        break;
    case Frame::kReadMarker:
        m_pending.remove(frame.request_id());
        m_readRequests.remove(frame.request_id());
        if (auto conv = m_store.conversationByServerId(qint64(frame.read_marker().conversation_id())))
            m_store.receipts().confirmMyMarker(*conv, qint64(frame.read_marker().up_to_seq()));
        break;
    default:
        if (!m_liveState->handle(frame))
            qCDebug(lcEngine) << "ignoring frame" << bodyName(frame);
    }
}

void Engine::onSession(const Session &s)
{
    m_authInFlight = false;
    const QString user = QString::fromStdString(s.username());
    const QByteArray storedUser = m_store.meta("username");
    if (!storedUser.isEmpty() && QString::fromUtf8(storedUser) != user) {
        m_authRequest.Clear();
        m_connection->stop();
        setStatus(Status::SignedOut);
        Q_EMIT authFailed(INVALID_ARGUMENT,
            tr("This device's store belongs to %1; sign in as %1 or use another store.")
                .arg(QString::fromUtf8(storedUser)));
        return;
    }
    m_authRequest.Clear();
    if (!s.token().empty()) {
        m_token = QByteArray::fromStdString(s.token());
        if (auto r = m_store.setMeta("token", m_token); !r)
            fail(r.error());
    }
    if (m_username != user || m_deviceId != qint64(s.device_id())) {
        m_username = user;
        m_deviceId = qint64(s.device_id());
        m_store.setMeta("username", user.toUtf8());
        m_store.setMeta("device_id", QByteArray::number(m_deviceId));
        m_store.setMeta("server_url", m_connection->url().toString().toUtf8());
    }
    updateAssetEndpoint(s.asset_port());
    Q_EMIT authenticated(m_username, m_deviceId);
    if (m_status == Status::Closed)
        return; // a slot closed us (the CLI's register command is done at this point)
    if (auto up = m_e2e->uploadFor(s, now()))
        uploadKeys(*up);
    m_keyCheckTimer.start();
    setStatus(Status::Syncing);
    requestSync();
    fillSendWindow();
    sendAnswers();
    afterSignIn();
}

void Engine::onError(quint64 requestId, const Error &e)
{
    const QString msg = QString::fromStdString(e.message());
    if (auto fetch = m_fetches.find(requestId); fetch != m_fetches.end()) {
        const QString user = fetch.value();
        m_fetches.erase(fetch);
        if (e.code() == USER_NOT_FOUND) {
            if (auto r = m_store.failOutboxFor(user, msg))
                for (const auto &c : r.value())
                    Q_EMIT messageStateChanged(c);
            m_e2e->markStale(user);
            resendOutbox();
        } else if (!m_retryTimer.isActive()) {
            // NO_KEYS: the peer has not uploaded keys yet (it may be registering right now).
            m_retryTimer.start(std::max(m_options.minBackoffMs, 200));
        }
        return;
    }
    if (auto answer = m_answerRequests.find(requestId); answer != m_answerRequests.end()) {
        // Transient refusals are tried again on the next connection; anything else is final.
        qCWarning(lcEngine) << "answer to a retry request refused:" << msg;
        if (isPermanentSendError(e.code()) || e.code() == STALE_DEVICES)
            m_store.outbox().removeAnswer(answer.value());
        m_answerRequests.erase(answer);
        return;
    }
    if (e.code() == STALE_DEVICES && m_sendRequests.contains(requestId)) {
        const QByteArray id = m_sendRequests.take(requestId);
        m_inFlight.remove(id);
        const auto refused = m_store.findMessage(id);
        onStaleDevices(e.mismatch(), refused && refused->group ? refused->conversationServerId : 0);
        return;
    }
    if (auto it = m_sendRequests.find(requestId); it != m_sendRequests.end()) {
        const QByteArray id = it.value();
        m_sendRequests.erase(it);
        m_inFlight.remove(id);
        if (isPermanentSendError(e.code())) {
            // A refused group send never delivered the sender key it carried.
            if (const auto m = m_store.findMessage(id); m && m->group)
                m_store.groups().forgetHolders(m->conversation);
            auto r = m_store.markFailed(id, msg);
            if (r)
                Q_EMIT messageStateChanged(r.value());
            Q_EMIT sendFailed(id, e.code(), msg);
        } else if (e.code() == RATE_LIMITED) {
            // Stays in the outbox; resent once the server said it would take it, not sooner (an
            // earlier retry would only be refused again and count against us).
            const int delay = std::max(
                { m_options.minBackoffMs, 200, int(std::min<quint32>(e.retry_after_ms(), 3600000)) });
            m_rateLimited = true;
            if (!m_retryTimer.isActive() || m_retryTimer.remainingTime() < delay)
                m_retryTimer.start(delay);
        } else if (!m_retryTimer.isActive()) {
            // Retried in order from the outbox; the server's dedupe makes resending the rest harmless.
            m_retryTimer.start(std::max(m_options.minBackoffMs, 200));
        }
        return;
    }
    const auto found = m_pending.find(requestId);
    if (found == m_pending.end()) {
        // An answer to a request this connection no longer tracks (a resend, a superseded send).
        qCInfo(lcEngine) << "server error for an untracked request:" << ErrorCode_Name(e.code()).c_str()
                         << msg;
        return;
    }
    const Pending pending = found.value();
    if (pending == Pending::Auth && m_authRequest.body_case() == Frame::BODY_NOT_SET
        && e.code() != INVALID_TOKEN && e.code() != TOKEN_EXPIRED) {
        // A Resume is refused for good only for its token. ALREADY_AUTHENTICATED and
        // INVALID_ARGUMENT ("in progress") answer a duplicate of it: the Session is on its way (or
        // the request timeout starts over). Anything else (shutting down, a store failure) is
        // transient: reconnect with backoff and resume again, without signing out.
        if (e.code() != ALREADY_AUTHENTICATED && e.code() != INVALID_ARGUMENT) {
            m_pending.erase(found);
            m_connection->drop(QStringLiteral("resume refused for now: %1").arg(msg));
        }
        return;
    }
    m_pending.erase(found);
    if (pending == Pending::Auth) {
        m_authInFlight = false;
        m_authRequest.Clear();
        if (e.code() == INVALID_TOKEN || e.code() == TOKEN_EXPIRED) {
            m_token.clear();
            m_store.setMeta("token", QByteArray());
        }
        setStatus(Status::SignedOut);
        Q_EMIT authFailed(e.code(), msg);
        return;
    }
    if (pending == Pending::Group) {
        Q_EMIT groupRequestFailed(requestId, e.code(), msg);
        return;
    }
    if (pending == Pending::ReadMarker) {
        // Refused for good (I left the conversation): stop offering it at every sign-in.
        qCInfo(lcEngine) << "read marker refused:" << msg;
        if (const auto marker = m_readRequests.take(requestId); marker.first > 0)
            m_store.receipts().confirmMyMarker(marker.first, marker.second);
        return;
    }
    if (pending == Pending::Sync) {
        // Without a completed sync nothing is pushed to us: start the connection over, with backoff.
        m_syncInFlight = false;
        m_connection->drop(QStringLiteral("sync failed: %1").arg(msg));
        return;
    }
    qCWarning(lcEngine) << "server error" << ErrorCode_Name(e.code()).c_str() << msg;
    Q_EMIT requestFailed(e.code(), msg);
}

void Engine::requestSync()
{
    if (m_syncInFlight)
        return;
    flushInbound();
    Frame f;
    f.mutable_sync()->set_after_inbox_seq(m_sequencer.accepted());
    m_syncInFlight = true;
    m_pending.insert(m_connection->sendRequest(std::move(f)), Pending::Sync);
}

void Engine::onSyncBatch(const SyncBatch &batch)
{
    m_syncInFlight = false;
    bool first = true;
    for (const auto &e : batch.entries()) {
        auto verdict = m_sequencer.offer(e.inbox_seq());
        if (verdict == InboundSequencer::Verdict::Gap && first) {
            // The server answers Sync with everything it still holds after our cursor; a hole at the
            // start means entries were deleted there (restored store or server). Waiting cannot fill
            // it, so take what exists and say so loudly.
            qCCritical(lcEngine) << "mailbox hole: expected" << m_sequencer.accepted() + 1
                                 << "but the server has" << e.inbox_seq();
            m_sequencer.reset(e.inbox_seq() - 1);
            verdict = m_sequencer.offer(e.inbox_seq());
        }
        first = false;
        if (verdict == InboundSequencer::Verdict::Accept)
            m_inbound.append(e);
    }
    // A batch is stored and acked at once so a long catch-up never holds more than one batch.
    flushInbound();
    if (batch.more()) {
        requestSync();
        return;
    }
    m_live = true;
    // Entries stored just before the last connection dropped were never acked; say so now.
    if (m_sequencer.accepted() > 0) {
        Frame ack;
        ack.mutable_delivery_ack()->set_up_to_inbox_seq(m_sequencer.accepted());
        m_connection->send(std::move(ack));
    }
    setStatus(Status::Online);
    Q_EMIT caughtUp();
}

void Engine::onDeliver(const MailboxEntry &entry)
{
    if (m_syncInFlight)
        return; // the sync answer covers it: everything unacked stays in the mailbox
    switch (m_sequencer.offer(entry.inbox_seq())) {
    case InboundSequencer::Verdict::Accept:
        m_inbound.append(entry);
        m_flushTimer.start();
        break;
    case InboundSequencer::Verdict::Duplicate:
        break;
    case InboundSequencer::Verdict::Gap:
        qCWarning(lcEngine) << "inbox gap: expected" << m_sequencer.accepted() + 1 << "got"
                            << entry.inbox_seq();
        requestSync();
        break;
    }
}

void Engine::flushInbound()
{
    if (m_inbound.isEmpty() || !m_store.isOpen())
        return;
    // Acks first on every path: a receipt in this batch may be for a message acked just now.
    if (flushAcks()) {
        m_sendPending = true;
        m_flushTimer.start();
    }
    const quint64 upTo = m_sequencer.accepted();
    Opener::Batch batch;
    const QList<AddressedId> &retries = batch.retries, &resends = batch.resends;
    const QList<EndToEnd::IdentityNotice> &notices = batch.notices;
    QList<StoredMessage> noticeRows;
    // Decrypting advances ratchets; those steps, the plaintext and the cursor commit together.
    Transaction tx(m_store.db());
    QList<InboundItem> items;
    items.reserve(m_inbound.size());
    for (const auto &e : std::as_const(m_inbound))
        items.append(m_opener->open(e, m_username, now(), &batch));
    auto r = m_store.applyInbound(items, upTo, m_username);
    if (r) {
        for (const auto &n : std::as_const(notices)) {
            if (n.username == m_username)
                continue; // a new device of mine: announced by identityChanged, in no conversation
            auto row = addIdentityNotice(n);
            if (row)
                noticeRows.append(row.value());
        }
        // The requests join the same transaction: an undecryptable message acked to the server
        // is always asked for again, even across a crash.
        for (const auto &retry : std::as_const(retries)) {
            if (auto q = queueRetryRequest(retry); !q) {
                r = q.error();
                break;
            }
        }
        for (const auto &ask : std::as_const(resends)) {
            if (!r)
                break;
            const PendingAnswer a { ask.device.name, ask.device.deviceId, ask.clientMsgId, newClientMsgId() };
            if (auto q = m_store.outbox().addAnswer(a); !q)
                r = q.error();
        }
    }
    if (!r || !tx.commit()) {
        tx.rollback(); // before drop(), whose signals run more store work synchronously
        // Not stored means not acked: drop what we accepted and let the server send it again.
        m_inbound.clear();
        m_sequencer.reset(m_store.inboxCursor());
        fail(r ? StoreFailure { StoreError::Sql, QStringLiteral("commit of inbound messages failed") }
               : r.error());
        // The server already pushed past these entries: reconnect (with backoff) to sync them again.
        m_connection->drop(QStringLiteral("inbound messages could not be stored"));
        return;
    }
    m_inbound.clear();
    for (const QByteArray &id : std::as_const(batch.replays))
        Q_EMIT replayRejected(id);
    for (const Opener::Failure &f : std::as_const(batch.failures))
        Q_EMIT decryptFailed(f.clientMsgId, f.code, f.message);
    Frame ack;
    ack.mutable_delivery_ack()->set_up_to_inbox_seq(upTo);
    m_connection->send(std::move(ack));
    for (const auto &m : r.value().added) {
        if (!m.outgoing && m.conversationServerId > 0)
            m_liveState->messageArrived(quint64(m.conversationServerId), m.sender);
        Q_EMIT messageAdded(m);
    }
    for (qint64 conv : r.value().readMarkers)
        Q_EMIT readMarkerChanged(conv);
    for (qint64 conv : r.value().memberReads)
        Q_EMIT readMarkerChanged(conv);
    for (const auto &m : r.value().repaired)
        Q_EMIT messageRepaired(m);
    for (const auto &c : r.value().changed)
        Q_EMIT messageStateChanged(c);
    for (const auto &m : std::as_const(noticeRows))
        Q_EMIT messageAdded(m);
    for (const auto &n : std::as_const(notices))
        Q_EMIT identityChanged(n.username, n.blocked);
    if (!resends.isEmpty())
        sendAnswers();
    if (!retries.isEmpty())
        fillSendWindow();
}

void Engine::onAck(const Ack &ack)
{
    const QByteArray id = QByteArray::fromStdString(ack.client_msg_id());
    if (auto req = m_inFlight.take(id))
        m_sendRequests.remove(req);
    m_acks.append({ id, qint64(ack.conversation_id()), qint64(ack.seq()), ack.server_time_ms() });
    m_flushTimer.start();
}

bool Engine::flushAcks()
{
    if (m_acks.isEmpty() || !m_store.isOpen())
        return false;
    auto r = m_store.applyAcks(m_acks);
    m_acks.clear();
    if (!r) {
        // The outbox still holds them: send them again and let the server's dedupe answer.
        fail(r.error());
        resendOutbox();
        return false;
    }
    for (const auto &c : r.value())
        Q_EMIT messageStateChanged(c);
    return true;
}

StoreResult<StoredMessage> Engine::sendText(const QString &peer, const QString &text)
{
    auto r = sendTexts({ { peer, text } });
    if (!r)
        return r.error();
    return r.value().first();
}

StoreResult<QList<StoredMessage>> Engine::sendTexts(const QList<OutgoingText> &texts)
{
    if (!m_store.isOpen())
        return StoreFailure { StoreError::OpenFailed, QStringLiteral("store is not open") };
    QList<StoredMessage> out;
    {
        // All or nothing, in one (group-committed) transaction.
        Transaction tx(m_store.db(), SqlDatabase::Durability::Relaxed);
        if (!tx.began())
            return m_store.db().failure("begin compose");
        for (const OutgoingText &t : texts) {
            content::Content c;
            c.mutable_text()->set_body(t.text.toStdString());
            c.set_sent_ms(now());
            const QByteArray content = QByteArray::fromStdString(c.SerializeAsString());
            auto r = t.group > 0
                ? m_store.composeGroup(
                    m_username, t.group, t.text, content, MessageKind::Text, newClientMsgId(), now())
                : m_store.composeText(m_username, t.peer, t.text, content, newClientMsgId(), now());
            if (!r)
                return r.error();
            out.append(r.value());
        }
        if (auto r = tx.commit(); !r)
            return r.error();
    }
    for (const StoredMessage &m : std::as_const(out)) {
        if (const auto conv
            = m.group ? m.conversationServerId : m_store.conversationServerId(m.conversation).value_or(0))
            m_liveState->messageSent(quint64(conv));
        Q_EMIT messageAdded(m);
    }
    m_sendPending = true;
    m_flushTimer.start();
    return out;
}

void Engine::fillSendWindow()
{
    if (m_status != Status::Syncing && m_status != Status::Online)
        return;
    if (!m_fetches.isEmpty())
        return; // device lists are on their way; sending now would only earn STALE_DEVICES
    if (m_rateLimited && m_retryTimer.isActive())
        return; // the server asked us to wait: sending now would be refused, and out of order
    const int room = m_options.sendWindow - int(m_inFlight.size()) - int(m_acks.size());
    if (room <= 0)
        return;
    // Ratchet steps are committed before any ciphertext leaves: after a crash a message key is
    // never used twice.
    QList<Frame> frames;
    QList<QByteArray> ids;
    QList<StateChange> failed; // announced once committed
    {
        Transaction tx(m_store.db());
        // Page on past rows that are held or already in flight, so they never stall the rest.
        bool waiting = false;
        QHash<QString, bool> blocked; // per peer (or group), looked up once per pass
        QSet<QByteArray> acked; // the server has them; their acks are applied this turn
        for (const AckInfo &a : std::as_const(m_acks))
            acked.insert(a.clientMsgId);
        while (!waiting && frames.size() < room) {
            const int want = room - int(frames.size());
            auto items = m_store.outbox().items(m_outboxCursor, want);
            if (!items) {
                fail(items.error());
                break;
            }
            for (const OutboxItem &it : items.value()) {
                if (m_inFlight.contains(it.clientMsgId) || acked.contains(it.clientMsgId)) {
                    m_outboxCursor = it.localId;
                    continue;
                }
                // A group is held while any member's new key awaits acceptance: the sender key
                // would otherwise go to that member's unverified device.
                const QString holdKey = it.group ? QStringLiteral("#%1").arg(it.conversation) : it.peer;
                auto held = blocked.find(holdKey);
                if (held == blocked.end())
                    held = blocked.insert(holdKey, isHeld(it));
                if (held.value()) {
                    m_outboxCursor = it.localId; // held until the new identity is accepted
                    continue;
                }
                Frame f;
                if (!it.sealed.isEmpty()) {
                    if (!f.mutable_send()->ParseFromArray(it.sealed.constData(), int(it.sealed.size()))) {
                        if (auto r = m_store.markFailed(it.clientMsgId, tr("unreadable outbox entry")))
                            failed.append(r.value());
                        continue;
                    }
                } else {
                    const auto sealed
                        = m_sealer->seal(it, { m_username, qint32(m_deviceId) }, f.mutable_send());
                    for (const QString &user : sealed.fetch)
                        fetchBundles(user);
                    if (sealed.retrySoon && !m_retryTimer.isActive())
                        m_retryTimer.start(std::max(m_options.minBackoffMs, 200));
                    if (sealed.storeError)
                        fail(*sealed.storeError);
                    if (sealed.failed)
                        failed.append(*sealed.failed);
                    if (sealed.outcome == Sealer::Outcome::Skip)
                        continue;
                    if (sealed.outcome == Sealer::Outcome::Wait) {
                        waiting = true; // keep order: nothing after this item goes before it
                        break;
                    }
                }
                frames.append(std::move(f));
                ids.append(it.clientMsgId);
                m_outboxCursor = it.localId;
            }
            if (items.value().size() < want)
                break; // the outbox has nothing more
        }
        if (!tx.commit()) {
            fail(StoreFailure { StoreError::Sql, QStringLiteral("could not store session state") });
            if (!m_retryTimer.isActive())
                m_retryTimer.start(std::max(m_options.minBackoffMs, 200));
            return;
        }
    }
    for (const auto &c : std::as_const(failed))
        Q_EMIT messageStateChanged(c);
    for (qsizetype i = 0; i < frames.size(); ++i) {
        const quint64 req = m_connection->sendRequest(std::move(frames[i]));
        if (req == 0)
            return;
        m_inFlight.insert(ids[i], req);
        m_sendRequests.insert(req, ids[i]);
    }
}

void Engine::resendOutbox()
{
    // Rewind only: what is still in flight keeps its request and is skipped by fillSendWindow.
    m_outboxCursor = 0;
    fillSendWindow();
}

StoreResult<QList<StoredMessage>> Engine::history(const QString &peer, qint64 beforeSeq, int limit)
{
    const auto conv = m_store.conversationForPeer(peer);
    if (!conv)
        return QList<StoredMessage> {};
    return m_store.page(*conv, beforeSeq, limit);
}

void Engine::listDevices()
{
    Frame f;
    f.mutable_list_devices();
    if (const quint64 id = m_connection->sendRequest(std::move(f)))
        m_pending.insert(id, Pending::ListDevices);
}

void Engine::removeDevice(qint64 deviceId)
{
    Frame f;
    f.mutable_remove_device()->set_device_id(quint64(deviceId));
    if (const quint64 id = m_connection->sendRequest(std::move(f)))
        m_pending.insert(id, Pending::RemoveDevice);
}

} // namespace chattermesh::core

namespace chattermesh::core {

void Engine::fetchBundles(const QString &user)
{
    for (const QString &u : std::as_const(m_fetches))
        if (u == user)
            return;
    Frame f;
    f.mutable_fetch_bundles()->set_username(user.toStdString());
    if (const quint64 id = m_connection->sendRequest(std::move(f)))
        m_fetches.insert(id, user);
}

StoreResult<StoredMessage> Engine::addIdentityNotice(const EndToEnd::IdentityNotice &n)
{
    return m_store.addNotice(n.username,
        n.blocked ? tr("%1's safety number changed. Messages to %1 are held until you accept the new key.")
                        .arg(n.username)
                  : tr("%1's safety number changed.").arg(n.username),
        now());
}

void Engine::onBundles(quint64 requestId, const Bundles &bundles)
{
    m_fetches.remove(requestId);
    QList<EndToEnd::IdentityNotice> notices;
    QList<StoredMessage> rows;
    {
        Transaction tx(m_store.db());
        notices = m_e2e->processBundles(bundles, m_username, now());
        for (const auto &n : std::as_const(notices)) {
            if (n.username == m_username)
                continue; // a new device of mine: announced by identityChanged, in no conversation
            if (auto row = addIdentityNotice(n))
                rows.append(row.value());
        }
        if (!tx.commit()) {
            fail(StoreFailure { StoreError::Sql, QStringLiteral("could not store new sessions") });
            return;
        }
    }
    for (const auto &m : std::as_const(rows))
        Q_EMIT messageAdded(m);
    for (const auto &n : std::as_const(notices))
        Q_EMIT identityChanged(n.username, n.blocked);
    fillSendWindow();
}

void Engine::onStaleDevices(const DeviceMismatch &mismatch, qint64 group)
{
    // A membership change usually explains a group's mismatch, and its event was pushed before
    // this answer: apply it first, so the group is re-keyed before anything is sealed again.
    flushInbound();
    QStringList members;
    if (const auto g = group > 0 ? m_store.groups().group(group) : std::nullopt)
        for (const GroupMember &m : g->members)
            members << m.username;
    for (const auto &u : mismatch.extra()) {
        const QString user = QString::fromStdString(u.username());
        // Whoever had those devices must not read what follows in any group we share.
        if (auto r = m_store.groups().rekeyGroupsOf(user); !r)
            fail(r.error());
        if (group > 0 && !members.contains(user))
            continue; // not a member any more: the devices still exist, keep their sessions and keys
        QList<qint64> gone;
        for (auto d : u.device_ids())
            gone.append(qint64(d));
        m_e2e->forgetDevices(user, gone);
    }
    for (const auto &u : mismatch.missing())
        m_e2e->markStale(QString::fromStdString(u.username()));
    // The sealed group sends carried my sender key to some devices; sealed again, they must again.
    if (auto r = m_store.groups().forgetHolders(0); !r)
        fail(r.error());
    // What was sealed for the old device set is sealed again for the new one.
    if (auto r = m_store.outbox().unsealOutbox(); !r)
        fail(r.error());
    // Everything after the refused message goes again, in order, once the devices are known.
    resendOutbox();
}

bool Engine::isHeld(const OutboxItem &it)
{
    if (!it.group)
        return m_e2e->isBlocked(it.peer);
    const QStringList members = m_store.groups().members(it.conversation);
    return std::any_of(members.cbegin(), members.cend(),
        [this](const QString &m) { return m != m_username && m_e2e->isBlocked(m); });
}

void Engine::checkKeys()
{
    if (m_e2e && (m_status == Status::Syncing || m_status == Status::Online)) {
        if (auto up = m_e2e->rotateIfDue(now()))
            uploadKeys(*up);
    }
}

void Engine::uploadKeys(const UploadKeys &upload)
{
    Frame f;
    *f.mutable_upload_keys() = upload;
    if (const quint64 id = m_connection->sendRequest(std::move(f)))
        m_pending.insert(id, Pending::Keys);
}

StoreResult<Unit> Engine::queueRetryRequest(const AddressedId &what)
{
    // Ask for the message again (a broken session was already dropped, so the request starts a
    // fresh one). The request is a hidden outbox message in the message's own conversation (my
    // own devices are reached through any conversation), so it survives restarts too.
    if (!m_e2e->hasSession(what.device))
        m_e2e->markStale(what.device.name);
    content::Content c;
    c.mutable_retry_request()->set_client_msg_id(what.clientMsgId.toStdString());
    c.set_sent_ms(now());
    const QByteArray content = QByteArray::fromStdString(c.SerializeAsString());
    // My own device is asked in the group itself: there is no 1:1 conversation with myself.
    auto r = what.group > 0
        ? m_store.composeGroup(
            m_username, what.group, QString(), content, MessageKind::Control, newClientMsgId(), now())
        : m_store.composeControl(m_username, what.conversationPeer, content, newClientMsgId(), now());
    if (!r)
        return r.error();
    return Unit {};
}

void Engine::sendAnswers()
{
    if (m_status != Status::Syncing && m_status != Status::Online)
        return;
    auto pending = m_store.outbox().answers();
    if (!pending) {
        fail(pending.error());
        return;
    }
    for (const PendingAnswer &a : pending.value()) {
        const bool inFlight = std::any_of(m_answerRequests.cbegin(), m_answerRequests.cend(),
            [&](const PendingAnswer &b) { return b.answerId == a.answerId; });
        if (inFlight)
            continue;
        auto frame = m_sealer->answer(a, { m_username, qint32(m_deviceId) });
        if (!frame) {
            m_store.outbox().removeAnswer(a); // refused or unanswerable for good
            continue;
        }
        if (const quint64 req = m_connection->sendRequest(std::move(*frame)))
            m_answerRequests.insert(req, a);
    }
}

crypto::CryptoResult<crypto::SafetyNumber> Engine::safetyNumber(const QString &peer)
{
    if (!m_e2e)
        return Failure<crypto::CryptoError> { crypto::CryptoError::NoIdentity,
            QStringLiteral("store is not open") };
    return m_e2e->safetyNumber(m_username, peer);
}

bool Engine::setVerified(const QString &peer, bool verified)
{
    return m_e2e && m_e2e->setVerified(peer, verified);
}

bool Engine::acceptIdentity(const QString &peer)
{
    if (!m_e2e || !m_e2e->acceptIdentity(peer))
        return false;
    resendOutbox(); // what was held for this peer goes now, in order
    return true;
}

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Engine.h"

#include <openssl/rand.h>

namespace chattermesh::core {

Q_LOGGING_CATEGORY(lcEngine, "chattermesh.core")

using namespace chattermesh::proto;

namespace {

QByteArray newClientMsgId()
{
    QByteArray id(kClientMsgIdBytes, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(id.data()), int(id.size()));
    return id;
}

// Errors that say "this message can never be accepted": the message fails visibly instead of
// being retried forever. Everything else is retried from the outbox.
bool isPermanentSendError(ErrorCode c)
{
    switch (c) {
    case USER_NOT_FOUND:
    case CONVERSATION_NOT_FOUND:
    case PAYLOAD_TOO_LARGE:
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
    sync::Connection::Options co;
    co.url = m_options.serverUrl;
    co.minBackoffMs = m_options.minBackoffMs;
    co.maxBackoffMs = m_options.maxBackoffMs;
    co.heartbeatMs = m_options.heartbeatMs;
    co.deadAfterMs = m_options.deadAfterMs;
    co.clock = m_options.clock;
    m_connection = new sync::Connection(co, this);
    connect(m_connection, &sync::Connection::ready, this, &Engine::onReady);
    connect(m_connection, &sync::Connection::lost, this, &Engine::onLost);
    connect(m_connection, &sync::Connection::frameReceived, this, &Engine::onFrame);
    connect(m_connection, &sync::Connection::refused, this, [this](ErrorCode code, const QString &msg) {
        setStatus(Status::SignedOut);
        Q_EMIT authFailed(code, msg);
    });
    connect(m_connection, &sync::Connection::stateChanged, this, [this](sync::Connection::State s) {
        if (s == sync::Connection::State::Connecting && m_status != Status::Closed)
            setStatus(Status::Connecting);
    });
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] {
        flushInbound();
        flushAcks();
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Engine::resendOutbox);
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
    Q_EMIT statusChanged(s);
}

StoreResult<Unit> Engine::open()
{
    if (auto r = m_store.open(m_options.storePath, m_options.key); !r)
        return r;
    m_username = QString::fromUtf8(m_store.meta("username"));
    m_deviceId = m_store.meta("device_id").toLongLong();
    m_token = m_store.meta("token");
    // The server this account lives on is remembered with it; an explicit URL wins (tests, moves).
    if (const QByteArray url = m_store.meta("server_url"); !url.isEmpty() && m_options.serverUrl.isEmpty())
        m_connection->setUrl(QUrl(QString::fromUtf8(url)));
    m_sequencer.reset(m_store.inboxCursor());
    setStatus(Status::SignedOut);
    if (!m_token.isEmpty()) {
        setStatus(Status::Connecting);
        m_connection->start();
    }
    return Unit {};
}

void Engine::close()
{
    if (m_status == Status::Closed)
        return;
    m_flushTimer.stop();
    if (m_store.isOpen()) {
        flushInbound();
        flushAcks();
    }
    m_connection->stop();
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
    m_pending.clear();
    m_sendRequests.clear();
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
    m_pending.clear();
    m_authInFlight = false;
    m_live = false;
    if (m_status != Status::Closed && m_status != Status::SignedOut)
        setStatus(Status::Connecting);
}

void Engine::onFrame(const Frame &frame)
{
    switch (frame.body_case()) {
    case Frame::kSession:
        m_pending.remove(frame.request_id());
        onSession(frame.session());
        break;
    case Frame::kError:
        onError(frame.request_id(), frame.error());
        break;
    case Frame::kAck:
        onAck(frame.ack());
        break;
    case Frame::kDeliver:
        onDeliver(frame.deliver().entry());
        break;
    case Frame::kSyncBatch:
        m_pending.remove(frame.request_id());
        onSyncBatch(frame.sync_batch());
        break;
    case Frame::kDeviceList: {
        m_pending.remove(frame.request_id());
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
    default:
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
    Q_EMIT authenticated(m_username, m_deviceId);
    if (m_status == Status::Closed)
        return; // a slot closed us (the CLI's register command is done at this point)
    setStatus(Status::Syncing);
    requestSync();
    fillSendWindow();
}

void Engine::onError(quint64 requestId, const Error &e)
{
    const QString msg = QString::fromStdString(e.message());
    if (auto it = m_sendRequests.find(requestId); it != m_sendRequests.end()) {
        const QByteArray id = it.value();
        m_sendRequests.erase(it);
        m_inFlight.remove(id);
        if (isPermanentSendError(e.code())) {
            auto r = m_store.markFailed(id, msg);
            if (r)
                Q_EMIT messageStateChanged(r.value());
            Q_EMIT sendFailed(id, e.code(), msg);
        } else if (!m_retryTimer.isActive()) {
            // Retried in order from the outbox; the server's dedupe makes resending the rest harmless.
            m_retryTimer.start(std::max(m_options.minBackoffMs, 200));
        }
        return;
    }
    const auto pending = m_pending.take(requestId);
    if (pending == Pending::Auth && requestId != 0) {
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
    if (pending == Pending::Sync)
        m_syncInFlight = false;
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
    for (const auto &e : batch.entries()) {
        if (m_sequencer.offer(e.inbox_seq()) == InboundSequencer::Verdict::Accept)
            m_inbound.append(e);
    }
    // A batch is stored and acked at once so a long catch-up never holds more than one batch.
    flushInbound();
    if (batch.more()) {
        requestSync();
        return;
    }
    m_live = true;
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
    const quint64 upTo = m_sequencer.accepted();
    auto r = m_store.applyInbound(m_inbound, upTo, m_username);
    if (!r) {
        // Not stored means not acked: drop what we accepted and let the server send it again.
        m_inbound.clear();
        m_sequencer.reset(m_store.inboxCursor());
        fail(r.error());
        return;
    }
    m_inbound.clear();
    Frame ack;
    ack.mutable_delivery_ack()->set_up_to_inbox_seq(upTo);
    m_connection->send(std::move(ack));
    for (const auto &m : r.value().added)
        Q_EMIT messageAdded(m);
    for (const auto &c : r.value().changed)
        Q_EMIT messageStateChanged(c);
}

void Engine::onAck(const Ack &ack)
{
    const QByteArray id = QByteArray::fromStdString(ack.client_msg_id());
    if (auto req = m_inFlight.take(id))
        m_sendRequests.remove(req);
    m_acks.append({ id, qint64(ack.conversation_id()), qint64(ack.seq()), ack.server_time_ms() });
    m_flushTimer.start();
}

void Engine::flushAcks()
{
    if (m_acks.isEmpty() || !m_store.isOpen())
        return;
    auto r = m_store.applyAcks(m_acks);
    m_acks.clear();
    if (!r) {
        fail(r.error()); // the outbox still holds them; the next flush resends and dedupe answers
        return;
    }
    for (const auto &c : r.value())
        Q_EMIT messageStateChanged(c);
    fillSendWindow();
}

StoreResult<StoredMessage> Engine::sendText(const QString &peer, const QString &text)
{
    if (!m_store.isOpen())
        return StoreFailure { StoreError::OpenFailed, QStringLiteral("store is not open") };
    auto r = m_store.composeText(m_username, peer, text, newClientMsgId(), now());
    if (!r)
        return r;
    Q_EMIT messageAdded(r.value());
    fillSendWindow();
    return r;
}

void Engine::fillSendWindow()
{
    if (m_status != Status::Syncing && m_status != Status::Online)
        return;
    const int room = m_options.sendWindow - int(m_inFlight.size()) - int(m_acks.size());
    if (room <= 0)
        return;
    auto items = m_store.outbox(m_outboxCursor, room);
    if (!items) {
        fail(items.error());
        return;
    }
    for (const OutboxItem &it : items.value()) {
        m_outboxCursor = it.localId;
        if (m_inFlight.contains(it.clientMsgId))
            continue;
        Frame f;
        auto *s = f.mutable_send();
        s->set_client_msg_id(it.clientMsgId.toStdString());
        if (it.conversationServerId > 0)
            s->set_conversation_id(quint64(it.conversationServerId));
        else
            s->set_peer_username(it.peer.toStdString());
        s->set_payload(it.payload.toStdString());
        s->set_client_time_ms(it.clientTimeMs);
        const quint64 req = m_connection->sendRequest(std::move(f));
        if (req == 0)
            return;
        m_inFlight.insert(it.clientMsgId, req);
        m_sendRequests.insert(req, it.clientMsgId);
    }
}

void Engine::resendOutbox()
{
    m_inFlight.clear();
    m_sendRequests.clear();
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

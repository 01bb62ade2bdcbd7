// SPDX-License-Identifier: GPL-3.0-or-later
#include "Connection.h"

namespace chattermesh::sync {

Q_LOGGING_CATEGORY(lcSync, "chattermesh.sync")

using namespace chattermesh::proto;

Connection::Connection(Options options, QObject *parent)
    : QObject(parent),
      m_options(std::move(options)),
      m_backoff(m_options.minBackoffMs, m_options.maxBackoffMs, m_options.random),
      m_heartbeat(m_options.clock ? m_options.clock : SystemClock::instance(), m_options.heartbeatMs,
          m_options.deadAfterMs)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Connection::openSocket);
    m_tickTimer.setInterval(m_options.tickMs);
    connect(&m_tickTimer, &QTimer::timeout, this, &Connection::onTick);
}

Connection::~Connection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void Connection::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void Connection::start()
{
    if (m_state != State::Stopped)
        return;
    m_tls.reset();
    const QString scheme = m_options.url.scheme();
    if (scheme == u"wss") {
        auto config = TlsTrust::configuration(m_options.caFile);
        if (!config.ok())
            return failTls(config.error().code, config.error().message);
        m_tls = config.value();
    } else if (!m_options.allowPlainText && !TlsTrust::isLoopback(m_options.url)) {
        return failTls(TlsError::PlainTextRefused,
            QStringLiteral("refusing plain ws:// to %1: the password and session token would cross the "
                           "network unencrypted; use wss:// (or allow plain text explicitly)")
                .arg(TlsTrust::endpoint(m_options.url)));
    }
    m_backoff.reset();
    openSocket();
}

void Connection::failTls(TlsError error, const QString &message)
{
    qCWarning(lcSync).noquote() << "TLS:" << message;
    stop();
    Q_EMIT tlsFailed(error, message);
}

bool Connection::checkPin()
{
    if (!m_tls || !m_options.pins || !m_socket)
        return true;
    const QString endpoint = TlsTrust::endpoint(m_options.url);
    const QString seen = TlsTrust::spkiSha256(m_socket->sslConfiguration().peerCertificate());
    const std::optional<QString> pinned = m_options.pins->pinned(endpoint);
    if (!pinned) {
        if (m_options.pins->pin(endpoint, seen))
            qCInfo(lcSync).noquote() << "pinned the key of" << endpoint << "sha256" << seen;
        else
            qCWarning(lcSync).noquote() << "could not store the pin of" << endpoint;
        return true;
    }
    if (*pinned == seen)
        return true;
    failTls(TlsError::CertificateChanged,
        QStringLiteral("the certificate of %1 changed: its key was pinned as sha256 %2 and is now "
                       "sha256 %3. If the server's operator replaced it, remove the pin; otherwise "
                       "someone may be intercepting the connection")
            .arg(endpoint, *pinned, seen));
    return false;
}

void Connection::stop()
{
    m_reconnectTimer.stop();
    m_tickTimer.stop();
    if (m_socket) {
        QWebSocket *s = m_socket;
        m_socket = nullptr;
        s->disconnect(this);
        s->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("client stopping"));
        s->deleteLater();
    }
    setState(State::Stopped);
}

void Connection::drop(const QString &reason)
{
    if (!m_socket)
        return;
    qCInfo(lcSync) << "dropping connection:" << reason;
    m_socket->abort();
}

void Connection::openSocket()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxFrameBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxFrameBytes));
    m_sslErrors.clear();
    if (m_tls) {
        m_socket->setSslConfiguration(*m_tls);
        // Never ignored: an untrusted certificate ends the handshake, and the error handler below
        // reports why.
        connect(m_socket, &QWebSocket::sslErrors, this,
            [this](const QList<QSslError> &errors) { m_sslErrors += errors; });
    }
    connect(m_socket, &QWebSocket::connected, this, &Connection::onConnected);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Connection::receive);
    connect(m_socket, &QWebSocket::disconnected, this, &Connection::onDisconnected);
    // A refused TCP connect never emits disconnected(): retry from the error signal too.
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, [this] {
        if (!m_sslErrors.isEmpty())
            return failTls(TlsError::NotTrusted, TlsTrust::describe(m_sslErrors));
        if (m_state == State::Connecting && !m_reconnectTimer.isActive())
            scheduleReconnect();
    });
    setState(State::Connecting);
    m_socket->open(m_options.url);
}

void Connection::onConnected()
{
    m_outstanding.clear(); // the last link's requests die with it
    // Before Hello: a server presenting another key never sees a byte of ours past the upgrade.
    if (!checkPin())
        return;
    setState(State::Handshaking);
    m_heartbeat.reset();
    m_tickTimer.start();
    Frame hello;
    hello.mutable_hello()->add_protocol_versions(kProtocolVersion);
    hello.mutable_hello()->set_client(m_options.clientName.toStdString());
    sendRequest(std::move(hello));
}

void Connection::receive(const QByteArray &bytes)
{
    m_heartbeat.frameReceived();
    auto decoded = decodeFrame(bytes, m_options.maxFrameBytes);
    if (!decoded) {
        qCWarning(lcSync) << "undecodable frame from server:" << decoded.error().message;
        return;
    }
    const Frame &frame = decoded.value();
    if (frame.request_id() != 0)
        m_outstanding.remove(frame.request_id());
    if (m_state == State::Handshaking) {
        if (frame.has_welcome()) {
            m_welcome = frame.welcome();
            const qint64 hb = qint64(m_welcome.limits().heartbeat_seconds()) * 1000;
            if (hb > 0 && hb < m_options.heartbeatMs)
                m_heartbeat.setInterval(hb, 3 * hb);
            m_backoff.reset();
            if (m_everReady)
                ++m_reconnects;
            m_everReady = true;
            setState(State::Ready);
            Q_EMIT ready();
        } else if (frame.has_error()) {
            const auto code = frame.error().code();
            const auto msg = QString::fromStdString(frame.error().message());
            qCWarning(lcSync) << "handshake refused:" << msg;
            if (code == UNSUPPORTED_VERSION) {
                stop();
                Q_EMIT refused(code, msg);
            }
        }
        return;
    }
    if (frame.has_ping()) {
        Frame pong;
        pong.mutable_pong()->set_time_ms(frame.ping().time_ms());
        send(std::move(pong));
        return;
    }
    Q_EMIT frameReceived(frame); // a Pong too: it says how far the server's pushes got
}

void Connection::onDisconnected()
{
    QString reason = m_socket ? m_socket->closeReason() : QString();
    const int code = m_socket ? int(m_socket->closeCode()) : 0;
    m_lastCloseCode = code;
    if (m_socket && reason.isEmpty())
        reason = m_socket->errorString();
    // 4000 (this device connected again elsewhere) and 4001 (device removed) are final: retrying
    // would only take the session back and forth.
    if (code == kCloseReplaced || code == kCloseDeviceRemoved) {
        stop();
        Q_EMIT ended(code, reason);
        return;
    }
    m_tickTimer.stop();
    const bool wasUp = m_state == State::Ready || m_state == State::Handshaking;
    if (m_state == State::Stopped || m_state == State::Waiting)
        return;
    if (wasUp)
        Q_EMIT lost(reason);
    scheduleReconnect();
}

void Connection::scheduleReconnect()
{
    setState(State::Waiting);
    const int delay = m_backoff.nextDelayMs();
    qCDebug(lcSync) << "reconnecting in" << delay << "ms";
    m_reconnectTimer.start(delay);
}

void Connection::onTick()
{
    if (m_options.requestTimeoutMs > 0 && !m_outstanding.isEmpty()) {
        const qint64 now = clock()->nowMs();
        for (auto it = m_outstanding.cbegin(); it != m_outstanding.cend(); ++it) {
            if (now - it.value() < m_options.requestTimeoutMs)
                continue;
            // A lost frame either way, or a server that stopped answering: start over.
            drop(QStringLiteral("request %1 unanswered for %2 ms").arg(it.key()).arg(now - it.value()));
            return;
        }
    }
    switch (m_heartbeat.tick()) {
    case Heartbeat::Action::None:
        break;
    case Heartbeat::Action::SendPing: {
        Frame ping;
        ping.mutable_ping()->set_time_ms(clock()->nowMs());
        send(std::move(ping));
        break;
    }
    case Heartbeat::Action::Dead:
        drop(QStringLiteral("heartbeat: server silent"));
        break;
    }
}

quint64 Connection::send(Frame frame)
{
    if (!m_socket || (m_state != State::Ready && m_state != State::Handshaking))
        return 0;
    m_socket->sendBinaryMessage(encodeFrame(frame));
    return frame.request_id();
}

quint64 Connection::sendRequest(Frame frame)
{
    frame.set_request_id(m_nextRequestId++);
    const quint64 id = send(std::move(frame));
    if (id != 0)
        m_outstanding.insert(id, clock()->nowMs());
    return id;
}

} // namespace chattermesh::sync

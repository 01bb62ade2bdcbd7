// SPDX-License-Identifier: GPL-3.0-or-later
#include "ClientConnection.h"

#include "ServerLog.h"
#include "ServerMetrics.h"

#include <QTimer>
#include <QWebSocket>
#include <utility>

namespace chattermesh::server {

namespace {

// Above this much unsent data a peer is reading slower than we write; logged.
constexpr qint64 kBacklogWarnBytes = 8 * 1024 * 1024;
constexpr int kCloseOutboundFull = 4005;
// A peer that reads too slowly will not read the close frame behind its backlog soon either.
constexpr int kOutboundCloseGraceMs = 5000;

} // namespace

ClientConnection::ClientConnection(
    QWebSocket *socket, quint64 id, ServerMetrics &metrics, qint64 maxOutboundBytes, QObject *parent)
    : QObject(parent),
      m_socket(socket),
      m_id(id),
      m_metrics(metrics),
      m_maxOutboundBytes(maxOutboundBytes),
      m_peer(QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort())),
      m_peerAddress(socket->peerAddress().toString())
{
    m_socket->setParent(this);
    m_lastFrame.start();
    m_opened.start();
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ClientConnection::receive);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_lastFrame.restart();
        if (!m_closing)
            Q_EMIT textReceived(text.toUtf8().size());
    });
    connect(m_socket, &QWebSocket::disconnected, this, &ClientConnection::disconnected);
    connect(m_socket, &QWebSocket::bytesWritten, this, &ClientConnection::watchOutbound);
}

ClientConnection::ClientConnection(
    const QString &peerAddress, quint64 id, ServerMetrics &metrics, QObject *parent)
    : QObject(parent),
      m_socket(nullptr),
      m_id(id),
      m_metrics(metrics),
      m_maxOutboundBytes(0),
      m_peer(peerAddress),
      m_peerAddress(peerAddress)
{
    m_lastFrame.start();
    m_opened.start();
}

ClientConnection::~ClientConnection() = default;

void ClientConnection::receive(const QByteArray &bytes)
{
    m_lastFrame.restart();
    if (!m_closing)
        Q_EMIT binaryReceived(bytes);
}

void ClientConnection::write(const QByteArray &bytes)
{
    if (!m_socket)
        return Q_EMIT sent(bytes);
    m_socket->sendBinaryMessage(bytes);
    watchOutbound();
}

void ClientConnection::endWithoutSocket()
{
    // Queued like a socket's disconnected(): the caller (a handler) still uses this connection.
    QTimer::singleShot(0, this, [this] { Q_EMIT disconnected(); });
}

void ClientConnection::authenticate(quint64 userId, quint64 deviceId, const QString &username)
{
    m_phase = Phase::Authenticated;
    m_userId = userId;
    m_deviceId = deviceId;
    m_username = username;
}

void ClientConnection::send(const proto::Frame &frame)
{
    if (m_closing || (m_socket && !m_socket->isValid()) || cutIfBacklogged())
        return;
    qCDebug(lcServer).nospace() << "conn " << m_id << " <- " << proto::bodyName(frame) << " #"
                                << frame.request_id();
    // What this connection was actually given bounds what it may acknowledge.
    if (frame.has_deliver())
        m_maxGiven = std::max<quint64>(m_maxGiven, frame.deliver().entry().inbox_seq());
    else if (frame.has_sync_batch() && frame.sync_batch().entries_size() > 0)
        m_maxGiven = std::max<quint64>(
            m_maxGiven, frame.sync_batch().entries(frame.sync_batch().entries_size() - 1).inbox_seq());
    const QByteArray bytes = proto::encodeFrame(frame);
    m_metrics.frameOut(int(frame.body_case()), bytes.size());
    if (frame.has_error())
        m_metrics.rejected("ws", proto::ErrorCode_Name(frame.error().code()).c_str());
    write(bytes);
}

void ClientConnection::sendEncoded(const QByteArray &bytes, int bodyCase)
{
    if (m_closing || (m_socket && !m_socket->isValid()) || cutIfBacklogged())
        return;
    m_metrics.frameOut(bodyCase, bytes.size());
    write(bytes);
}

void ClientConnection::sendError(quint64 requestId, proto::ErrorCode code, const QString &message)
{
    qCDebug(lcServer).nospace() << "conn " << m_id << " error " << proto::ErrorCode_Name(code).c_str() << " #"
                                << requestId;
    send(proto::errorFrame(requestId, code, message));
}

void ClientConnection::close(int code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    qCInfo(lcServer).nospace() << "conn " << m_id << " closing: " << code << " " << reason;
    if (!m_socket) {
        m_closeCode = code;
        m_closeReason = reason;
        return endWithoutSocket();
    }
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
}

void ClientConnection::closeWithin(int code, const QString &reason, int graceMs)
{
    close(code, reason);
    QTimer::singleShot(graceMs, this, [this] { abort(); });
}

void ClientConnection::abort()
{
    if (!m_socket) {
        if (!std::exchange(m_closing, true))
            endWithoutSocket();
        return;
    }
    m_closing = true;
    m_socket->abort();
}

int ClientConnection::closeCode() const
{
    return m_socket ? int(m_socket->closeCode()) : m_closeCode;
}

QString ClientConnection::closeReason() const
{
    return m_socket ? m_socket->closeReason() : m_closeReason;
}

bool ClientConnection::cutIfBacklogged()
{
    // Measured before a frame is queued, not after: one answer bigger than the bound (a SyncBatch of
    // large messages) still goes out to a client that reads; what is cut is a client that has not
    // taken the previous frames yet when the next one comes.
    const qint64 queued = m_socket ? m_socket->bytesToWrite() : 0;
    if (m_maxOutboundBytes <= 0 || queued <= m_maxOutboundBytes)
        return false;
    // Nothing is lost: what was pushed stays in the device's mailbox until acknowledged, and the
    // client gets it again from Sync when it reconnects.
    qCWarning(lcServer) << "conn" << m_id << "has" << queued << "bytes unsent; cutting a slow reader";
    m_metrics.limitClose("outbound_queue");
    closeWithin(kCloseOutboundFull, QStringLiteral("outbound queue full"), kOutboundCloseGraceMs);
    return true;
}

void ClientConnection::watchOutbound()
{
    const qint64 queued = m_socket->bytesToWrite();
    if (!m_backlogged && queued > kBacklogWarnBytes) {
        m_backlogged = true;
        qCWarning(lcServer) << "conn" << m_id << "has" << queued << "bytes waiting to be sent";
    } else if (m_backlogged && queued == 0) {
        m_backlogged = false;
        qCInfo(lcServer) << "conn" << m_id << "caught up on outbound data";
    }
}

} // namespace chattermesh::server

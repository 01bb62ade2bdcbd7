// SPDX-License-Identifier: GPL-3.0-or-later
#include "ClientConnection.h"

#include "FaultyLink.h"
#include "ServerLog.h"
#include "ServerMetrics.h"

#include <QHash>
#include <QTimer>

namespace chattermesh::server {

namespace {

constexpr int kCloseOutboundFull = 4005;
// A peer that reads too slowly will not read the close frame behind its backlog soon either.
constexpr int kOutboundCloseGraceMs = 5000;

// A seeded hash of the whole frame, not the frame itself: it holds the password. Same request_id
// and same bytes is what a duplicated frame looks like; a request that reuses an answered id with
// other content is a new request.
size_t fingerprint(const proto::Frame &frame)
{
    return qHash(QByteArray::fromStdString(frame.SerializeAsString()));
}

} // namespace

ClientConnection::ClientConnection(SocketLink socket, quint64 id, QString peer, QString peerAddress,
    ServerMetrics &metrics, qint64 maxOutboundBytes, QObject *parent)
    : QObject(parent),
      m_socket(std::move(socket)),
      m_id(id),
      m_metrics(metrics),
      m_maxOutboundBytes(maxOutboundBytes),
      m_peer(std::move(peer)),
      m_peerAddress(std::move(peerAddress))
{
    m_lastFrame.start();
    m_opened.start();
}

ClientConnection::ClientConnection(
    const QString &peerAddress, quint64 id, ServerMetrics &metrics, QObject *parent)
    : QObject(parent),
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

void ClientConnection::endWithoutSocket(int code, const QString &reason)
{
    // Queued like a socket's end: the caller (a handler) may still be using this connection.
    QTimer::singleShot(0, this, [this, code, reason] {
        if (!m_disconnected)
            socketClosed(code, reason);
    });
}

void ClientConnection::received(const QByteArray &bytes)
{
    m_lastFrame.restart();
    if (m_faults)
        m_faults->inbound(bytes);
    else if (!m_closing)
        Q_EMIT binaryReceived(bytes);
}

void ClientConnection::noteAuthRequest(const proto::Frame &frame)
{
    m_authRequest.emplace(frame.request_id(), fingerprint(frame));
}

bool ClientConnection::repeatsAuthRequest(const proto::Frame &frame) const
{
    return m_authRequest && m_authRequest->first == frame.request_id()
        && m_authRequest->second == fingerprint(frame);
}

void ClientConnection::receivedText(qint64 bytes)
{
    m_lastFrame.restart();
    if (!m_closing)
        Q_EMIT textReceived(bytes);
}

void ClientConnection::socketClosed(int code, const QString &reason)
{
    m_disconnected = true;
    m_closeCode = code;
    m_closeReason = reason;
    Q_EMIT disconnected();
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
    if (m_closing || m_disconnected || cutIfBacklogged())
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
    if (m_closing || m_disconnected || cutIfBacklogged())
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
    if (!m_socket)
        return endWithoutSocket(code, reason);
    m_socket->close(code, reason);
}

void ClientConnection::closeWithin(int code, const QString &reason, int graceMs)
{
    close(code, reason);
    QTimer::singleShot(graceMs, this, [this] { abort(); });
}

void ClientConnection::abort()
{
    m_closing = true;
    if (!m_socket)
        return endWithoutSocket(1006, QString());
    m_socket->abort();
}

void ClientConnection::injectFaults(FaultInjector &injector)
{
    FaultyLink::Ends ends;
    ends.inbound = [this](const QByteArray &bytes) {
        if (!m_closing)
            Q_EMIT binaryReceived(bytes);
    };
    ends.outbound = [this](const QByteArray &bytes) {
        if (!m_disconnected)
            m_socket ? m_socket->sendBinary(bytes) : Q_EMIT sent(bytes);
    };
    ends.cut = [this] { abort(); };
    m_faults = new FaultyLink(injector, &m_metrics, m_id, std::move(ends), this);
}

void ClientConnection::write(const QByteArray &bytes)
{
    if (m_faults)
        m_faults->outbound(bytes);
    else
        m_socket ? m_socket->sendBinary(bytes) : Q_EMIT sent(bytes);
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

} // namespace chattermesh::server

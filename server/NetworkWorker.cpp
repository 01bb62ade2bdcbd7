// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkWorker.h"

#include "Metrics.h"
#include "NetworkPool.h"
#include "ServerLog.h"
#include "TlsHandshake.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace chattermesh::server {

namespace {

// Above this much unsent data a peer is reading slower than we write; logged.
constexpr qint64 kBacklogWarnBytes = 8 * 1024 * 1024;

} // namespace

NetworkWorker::NetworkWorker(int index, Settings settings, NetworkPool &pool, Gauge &connections)
    : m_index(index), m_settings(std::move(settings)), m_pool(pool), m_connections(connections)
{ }

NetworkWorker::~NetworkWorker()
{
    // The thread is ending (after Server::shutdown closed every connection, or at a hard stop):
    // whatever is left is dropped without reporting, as nobody is listening any more.
    m_stopping = true;
    delete m_handshakes; // with the sockets still in their handshake, while m_handshaking exists
    m_handshakes = nullptr;
    for (const Peer &peer : std::as_const(m_peers))
        delete peer.socket;
    m_connections.add(-m_peers.size());
    m_peers.clear();
}

void NetworkWorker::setUp()
{
    m_handshakes = new QWebSocketServer(m_settings.serverName, QWebSocketServer::NonSecureMode, this);
    if (m_settings.handshakeTimeout.count() > 0)
        m_handshakes->setHandshakeTimeout(m_settings.handshakeTimeout);
    connect(m_handshakes, &QWebSocketServer::newConnection, this, &NetworkWorker::takeHandshakenSockets);
}

void NetworkWorker::post(SocketCommand command)
{
    if (m_commands.push(std::move(command)))
        QMetaObject::invokeMethod(this, &NetworkWorker::runCommands, Qt::QueuedConnection);
}

void NetworkWorker::runCommands()
{
    for (SocketCommand &command : m_commands.takeAll()) {
        switch (command.kind) {
        case SocketCommand::Kind::Adopt:
            adopt(command.descriptor);
            break;
        case SocketCommand::Kind::Send:
            send(command.id, command.bytes);
            break;
        case SocketCommand::Kind::Close:
            close(command.id, command.closeCode, command.closeReason, command.abortAfterMs);
            break;
        case SocketCommand::Kind::Abort:
            abort(command.id);
            break;
        case SocketCommand::Kind::StopAccepting:
            m_accepting = false;
            m_handshakes->close(); // refuses the handshakes still pending
            break;
        }
    }
}

// Where an accepted descriptor becomes a plain socket ready for the WebSocket handshake (with TLS,
// TlsHandshake makes the socket instead, with the same TCP_NODELAY).
QTcpSocket *NetworkWorker::acceptedSocket(qintptr descriptor)
{
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcServer) << "cannot adopt an accepted socket:" << socket->errorString();
        delete socket;
        return nullptr;
    }
    // Nagle off. Without it a small frame written while the previous one to the same client is
    // still unacknowledged waits for that ACK, and a client that only reads (an Ack, then the
    // DELIVERED receipt a few ms later) sends its ACK after the delayed-ACK timer: 40 ms or more on
    // Linux. That was most of an idle send->delivered (docs/benchmarks.md). The client's QWebSocket
    // sets this on its own socket; QWebSocketServer does not, and gives no access to the socket it
    // accepted, hence our own listener and handleConnection().
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return socket;
}

void NetworkWorker::adopt(qintptr descriptor)
{
    if (m_settings.tls) {
        const int timeoutMs = int(m_settings.handshakeTimeout.count());
        TlsHandshake::start(
            descriptor, *m_settings.tls, timeoutMs > 0 ? timeoutMs : 10000, this,
            [this](QSslSocket *socket) { startHandshake(socket); },
            [this](const QString &peer, const QString &reason) {
                if (m_settings.tlsFailed)
                    m_settings.tlsFailed(peer, reason);
            });
        return;
    }
    if (QTcpSocket *socket = acceptedSocket(descriptor))
        startHandshake(socket);
}

void NetworkWorker::startHandshake(QTcpSocket *socket)
{
    if (!m_accepting) {
        socket->abort(); // accepted just before the listener closed; the server is shutting down
        delete socket;
        return;
    }
    // Remembered until the handshake is done (forgetHandshake) or the socket is gone.
    const QString key = handshakeKey(socket->peerAddress(), socket->peerPort());
    m_handshaking.insert(key, socket);
    connect(socket, &QObject::destroyed, this, [this, key] {
        const auto found = m_handshaking.find(key);
        if (found != m_handshaking.end() && found->isNull())
            m_handshaking.erase(found);
    });
    m_handshakes->handleConnection(socket); // takes ownership
}

void NetworkWorker::takeHandshakenSockets()
{
    while (QWebSocket *socket = m_handshakes->nextPendingConnection()) {
        // Qt refuses bigger frames and messages itself and closes with 1009.
        socket->setMaxAllowedIncomingFrameSize(quint64(m_settings.maxFrameBytes));
        socket->setMaxAllowedIncomingMessageSize(quint64(m_settings.maxFrameBytes));
        socket->setParent(this);
        forgetHandshake(socket);
        const quint64 id = m_pool.nextConnectionId();
        Peer peer { socket, std::make_shared<OutboundGauge>(), false };
        SocketEvent opened;
        opened.kind = SocketEvent::Kind::Opened;
        opened.id = id;
        opened.worker = m_index;
        opened.peerAddress = socket->peerAddress().toString();
        opened.peer = QStringLiteral("%1:%2").arg(opened.peerAddress).arg(socket->peerPort());
        opened.outbound = peer.outbound;
        m_peers.insert(id, peer);
        m_connections.add(1);
        // Opened goes first: the dispatch thread learns of the socket before any of its frames.
        m_pool.deliver(std::move(opened));
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, id](const QByteArray &bytes) {
            SocketEvent event;
            event.id = id;
            event.bytes = bytes;
            m_pool.deliver(std::move(event));
        });
        connect(socket, &QWebSocket::textMessageReceived, this, [this, id](const QString &text) {
            SocketEvent event;
            event.kind = SocketEvent::Kind::Text;
            event.id = id;
            event.textBytes = text.toUtf8().size();
            m_pool.deliver(std::move(event));
        });
        connect(socket, &QWebSocket::disconnected, this, [this, id] { onDisconnected(id); });
        connect(socket, &QWebSocket::bytesWritten, this, [this, id] {
            const auto found = m_peers.find(id);
            if (found != m_peers.end())
                watchOutbound(id, *found);
        });
    }
}

void NetworkWorker::forgetHandshake(QWebSocket *socket)
{
    // QWebSocketServer stays connected to the TCP socket of every WebSocket it ever handed out, and
    // its slots look up sender(), which walks all of them: with thousands of sockets per thread each
    // disconnect cost O(sockets) and a reconnect storm went quadratic (measured: 62 % of the server's
    // CPU in QObject::sender during a storm). The handshake is over and nothing of the server is
    // needed any more. QWebSocket does not expose its TCP socket, so it is found by the peer's
    // address and port, which identify it among this thread's sockets.
    const auto found = m_handshaking.find(handshakeKey(socket->peerAddress(), socket->peerPort()));
    if (found == m_handshaking.end())
        return;
    if (QTcpSocket *tcp = found->data())
        QObject::disconnect(tcp, nullptr, m_handshakes, nullptr);
    m_handshaking.erase(found);
}

QString NetworkWorker::handshakeKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

void NetworkWorker::send(quint64 id, const QByteArray &bytes)
{
    const auto found = m_peers.find(id);
    if (found == m_peers.end())
        return; // closed while the frame was on its way; the mailbox still holds what mattered
    found->outbound->inTransit.fetch_sub(bytes.size(), std::memory_order_relaxed);
    QWebSocket *socket = found->socket;
    if (!socket->isValid())
        return;
    socket->sendBinaryMessage(bytes);
    // A write error may have disconnected it just now, which forgets the peer.
    const auto still = m_peers.find(id);
    if (still != m_peers.end())
        watchOutbound(id, *still);
}

void NetworkWorker::close(quint64 id, int code, const QString &reason, int abortAfterMs)
{
    const auto found = m_peers.find(id);
    if (found == m_peers.end())
        return;
    QWebSocket *socket = found->socket;
    socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    // A peer that stopped reading, or is gone, never finishes the close handshake.
    if (abortAfterMs > 0)
        QTimer::singleShot(abortAfterMs, socket, [socket] { socket->abort(); });
}

void NetworkWorker::abort(quint64 id)
{
    const auto found = m_peers.find(id);
    if (found != m_peers.end())
        found->socket->abort();
}

void NetworkWorker::onDisconnected(quint64 id)
{
    if (m_stopping)
        return;
    const Peer peer = m_peers.take(id);
    if (!peer.socket)
        return;
    m_connections.add(-1);
    SocketEvent closed;
    closed.kind = SocketEvent::Kind::Closed;
    closed.id = id;
    closed.closeCode = int(peer.socket->closeCode());
    closed.closeReason = peer.socket->closeReason();
    m_pool.deliver(std::move(closed));
    peer.socket->deleteLater();
}

void NetworkWorker::watchOutbound(quint64 id, Peer &peer)
{
    const qint64 queued = peer.socket->bytesToWrite();
    peer.outbound->inSocket.store(queued, std::memory_order_relaxed);
    if (!peer.backlogged && queued > kBacklogWarnBytes) {
        peer.backlogged = true;
        qCWarning(lcServer) << "conn" << id << "has" << queued << "bytes waiting to be sent";
    } else if (peer.backlogged && queued == 0) {
        peer.backlogged = false;
        qCInfo(lcServer) << "conn" << id << "caught up on outbound data";
    }
}

} // namespace chattermesh::server

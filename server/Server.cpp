// SPDX-License-Identifier: GPL-3.0-or-later
#include "Server.h"

#include "AssetService.h"
#include "ClientConnection.h"
#include "ConversationMembers.h"
#include "DeviceHandler.h"
#include "FaultInjector.h"
#include "GroupHandler.h"
#include "KeyHandler.h"
#include "LiveDelivery.h"
#include "MessageHandler.h"
#include "NetworkPool.h"
#include "NetworkWorker.h"
#include "PresenceTracker.h"
#include "PushFanout.h"
#include "ReadHandler.h"
#include "ServerLog.h"
#include "SessionHandler.h"
#include "SqliteBackend.h"
#include "Store.h"
#include "TcpListener.h"
#include "TlsSetup.h"
#include "TypingHandler.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTimer>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kCloseGoingAway = 1001;
constexpr int kCloseTryAgainLater = 1013;
constexpr int kCloseHelloTimeout = 4002;
constexpr int kCloseAuthTimeout = 4003;
constexpr int kCloseIdleTimeout = 4004;
// How long closing connections get to answer the close handshake before they are cut.
constexpr int kCloseGraceMs = 5000;
constexpr int kListenBacklog = 4096;

} // namespace

Server::Server(ServerConfig config, QObject *parent)
    : QObject(parent),
      m_config(std::move(config)),
      m_store(std::make_unique<Store>(
          std::make_unique<SqliteBackend>(QDir(m_config.dataDir).filePath(u"server.db"_s)))),
      m_delivery(std::make_unique<LiveDelivery>(*m_store, m_registry, m_config.syncPage())),
      m_members(std::make_unique<ConversationMembers>(*m_store)),
      m_fanout(std::make_unique<PushFanout>(m_registry)),
      m_presence(std::make_unique<PresenceTracker>(*m_store, m_registry, *m_fanout)),
      m_assets(std::make_unique<AssetService>(m_config, m_metrics, m_health)),
      m_listener(new TcpListener(
          [this](qintptr descriptor) {
              if (m_network)
                  m_network->adopt(descriptor);
          },
          this)),
      m_heartbeat(new QTimer(this))
{
    const ServerContext context { m_config, *m_store, m_registry, *m_delivery, *m_members, *m_presence,
        *m_fanout, *m_assets, m_draining, m_metrics };
    // On the writer thread: both are thread-safe.
    m_store->setBatchObserver([this](bool committed, size_t jobs, double commitMs) {
        m_metrics.storeBatch(committed, jobs, commitMs);
        m_health.setStoreFailing(!committed);
    });
    m_sessions = std::make_unique<SessionHandler>(context);
    m_devices = std::make_unique<DeviceHandler>(context);
    m_messages = std::make_unique<MessageHandler>(context);
    m_keys = std::make_unique<KeyHandler>(context);
    m_groups = std::make_unique<GroupHandler>(context);
    m_reads = std::make_unique<ReadHandler>(context);
    m_typing = std::make_unique<TypingHandler>(context);
    m_sessions->registerRoutes(m_dispatcher);
    m_devices->registerRoutes(m_dispatcher);
    m_messages->registerRoutes(m_dispatcher);
    m_keys->registerRoutes(m_dispatcher);
    m_groups->registerRoutes(m_dispatcher);
    m_reads->registerRoutes(m_dispatcher);
    m_typing->registerRoutes(m_dispatcher);
    m_presence->registerRoutes(m_dispatcher);

    connect(m_listener, &QTcpServer::acceptError, this,
        [](QAbstractSocket::SocketError error) { qCWarning(lcServer) << "accept failed:" << error; });
    // One tick checks every deadline: each fires at most one period late.
    int tickSeconds = m_config.heartbeatSeconds;
    for (int seconds :
        { m_config.helloTimeoutSeconds, m_config.authTimeoutSeconds, m_config.idleTimeoutSeconds })
        if (seconds > 0)
            tickSeconds = std::min(tickSeconds, seconds);
    m_heartbeat->setInterval(tickSeconds * 1000);
    connect(m_heartbeat, &QTimer::timeout, this, &Server::checkHeartbeats);
    if (m_config.faults.enabled()) {
        const quint64 seed = m_config.faultsSeed ? m_config.faultsSeed
                                                 : (QRandomGenerator::system()->generate64() >> 11) + 1;
        m_faults = std::make_unique<FaultInjector>(m_config.faults, seed);
        qCWarning(lcServer).noquote()
            << "FAULT INJECTION ON:" << m_config.faults.toString() << "seed" << seed
            << "-- frames are lost, repeated, delayed, reordered and connections cut"
               " on purpose; never run this in production";
    }
}

Server::~Server()
{
    // Connections hold raw pointers into the handlers' world; make sure none outlives it.
    for (ClientConnection *connection : m_registry.all())
        delete connection;
    // Before the store and the metrics: the network threads report to both until they stop.
    m_listener->close();
    if (m_network)
        m_network->stop();
    m_assets->stop();
    m_store->stop();
}

Result<Unit, QString> Server::start()
{
    if (!QDir().mkpath(m_config.dataDir))
        return Failure<QString> { {}, u"cannot create data directory "_s + m_config.dataDir };
    if (const auto refusal = TlsSetup::plainTextRefusal(m_config))
        return Failure<QString> { {}, *refusal };
    const auto tls = TlsSetup::fromConfig(m_config);
    if (!tls.ok())
        return Failure<QString> { {}, tls.error().message };
    if (tls.value()) {
        qCInfo(lcServer).noquote() << "TLS on; certificate public key SHA-256 (what clients pin):"
                                   << TlsSetup::spkiSha256(tls.value()->localCertificate());
    } else if (!m_config.listenAddress.isLoopback()) {
        qCWarning(lcServer).noquote()
            << "--insecure: serving plain ws:// and http:// on" << m_config.listenAddress.toString()
            << "- passwords and tokens cross the network unencrypted";
    }
    m_network = std::make_unique<NetworkPool>(
        m_config, m_metrics, tls.value(), [this](SocketEvent &event) { onSocketEvent(event); });
    StoreResult<Unit> opened = m_store->start();
    if (!opened.ok())
        return Failure<QString> { {}, opened.error().message };
    // Qt's default backlog is 50: a reconnect storm (thousands of clients after a restart or a
    // network blip) overflows it and the kernel drops SYNs, which clients retry only after 1 s, 3 s...
    // The kernel caps it at net.core.somaxconn (4096 on current Linux).
    m_listener->setListenBacklogSize(kListenBacklog);
    if (!m_listener->listen(m_config.listenAddress, m_config.listenPort))
        return Failure<QString> { {},
            u"cannot listen on %1:%2: %3"_s.arg(m_config.listenAddress.toString())
                .arg(m_config.listenPort)
                .arg(m_listener->errorString()) };
    // After the store: the store migrates the schema the asset service's connection relies on.
    const auto assets = m_assets->start();
    if (!assets.ok())
        return assets;
    m_heartbeat->start();
    m_health.setServing();
    return Unit {};
}

QHostAddress Server::address() const
{
    return m_listener->serverAddress();
}

quint16 Server::port() const
{
    return m_listener->serverPort();
}

quint16 Server::assetPort() const
{
    return m_assets->port();
}

void Server::onSocketEvent(SocketEvent &event)
{
    if (event.kind == SocketEvent::Kind::Opened)
        return onOpened(event);
    ClientConnection *connection = m_registry.forId(event.id);
    if (!connection)
        return; // one refused at the door, still closing
    switch (event.kind) {
    case SocketEvent::Kind::Binary:
        connection->received(event.bytes);
        break;
    case SocketEvent::Kind::Text:
        connection->receivedText(event.textBytes);
        break;
    case SocketEvent::Kind::Closed:
        connection->socketClosed(event.closeCode, event.closeReason);
        break;
    case SocketEvent::Kind::Opened:
        break;
    }
}

void Server::onOpened(SocketEvent &event)
{
    SocketLink socket(m_network->worker(event.worker), event.id, std::move(event.outbound));
    if (m_draining) {
        socket.close(kCloseGoingAway, u"server shutting down"_s, kCloseGraceMs);
        return;
    }
    // At capacity: refuse after the handshake (the only way to give a reason), before any state is
    // made for it. Connections still closing count until they are gone.
    if (m_config.maxConnections > 0 && m_registry.size() >= m_config.maxConnections) {
        qCWarning(lcServer) << "at capacity (" << m_registry.size() << "connections ): refusing"
                            << event.peerAddress;
        m_metrics.limitClose("max_connections");
        socket.close(kCloseTryAgainLater, u"server at capacity, try again later"_s, kCloseGraceMs);
        return;
    }
    auto *connection = new ClientConnection(std::move(socket), event.id, std::move(event.peer),
        std::move(event.peerAddress), m_metrics, m_config.maxOutboundBytes, this);
    if (m_faults)
        connection->injectFaults(*m_faults);
    adopt(connection);
}

ClientConnection *Server::openInProcess(const QString &peerAddress)
{
    auto *connection = new ClientConnection(peerAddress, m_nextInProcessId++, m_metrics, this);
    adopt(connection);
    return connection;
}

int Server::pendingStoreJobs() const
{
    return int(m_store->pending());
}

void Server::adopt(ClientConnection *connection)
{
    m_registry.add(connection);
    m_metrics.connectionOpened();
    qCInfo(lcServer) << "conn" << connection->id() << "opened from" << connection->peer();
    connect(connection, &ClientConnection::binaryReceived, this,
        [this, connection](const QByteArray &bytes) { onBinary(connection, bytes); });
    connect(connection, &ClientConnection::textReceived, this, [this, connection](qint64 bytes) {
        m_metrics.frameIn("text", bytes);
        connection->sendError(0, proto::MALFORMED_FRAME, u"text messages are not part of the protocol"_s);
    });
    connect(connection, &ClientConnection::disconnected, this,
        [this, connection] { onDisconnected(connection); });
}

void Server::onBinary(ClientConnection *connection, const QByteArray &bytes)
{
    proto::FrameResult decoded = proto::decodeFrame(bytes, m_config.maxFrameBytes);
    if (!decoded.ok())
        m_metrics.frameIn(
            decoded.error().code == proto::UNKNOWN_FRAME ? "unknown" : "malformed", bytes.size());
    else
        m_metrics.frameIn(int(decoded.value().body_case()), bytes.size());
    if (!decoded.ok()) {
        quint64 requestId = 0;
        if (decoded.error().code == proto::UNKNOWN_FRAME) {
            // The frame parsed, only its body is unknown: echo the id so the request is answered.
            proto::Frame partial;
            if (partial.ParseFromArray(bytes.constData(), int(bytes.size())))
                requestId = partial.request_id();
        }
        connection->sendError(requestId, decoded.error().code, decoded.error().message);
        return;
    }
    m_dispatcher.dispatch(*connection, decoded.value());
}

void Server::onDisconnected(ClientConnection *connection)
{
    qCInfo(lcServer).nospace() << "conn " << connection->id() << " closed (" << connection->closeCode() << " "
                               << connection->closeReason() << ")";
    m_presence->closed(*connection);
    m_registry.remove(connection);
    m_metrics.connectionClosed();
    connection->deleteLater();
    if (m_closeDeadline && m_registry.size() == 0)
        finishShutdown();
}

void Server::checkHeartbeats()
{
    using Phase = ClientConnection::Phase;
    const qint64 idleMs = qint64(m_config.idleTimeoutSeconds > 0 ? m_config.idleTimeoutSeconds
                                                                 : m_config.heartbeatSeconds * 3)
        * 1000;
    const qint64 helloMs = qint64(m_config.helloTimeoutSeconds) * 1000;
    const qint64 authMs = qint64(m_config.authTimeoutSeconds) * 1000;
    for (ClientConnection *connection : m_registry.all()) {
        if (connection->isClosing())
            continue; // cut by its own grace timer if the close handshake does not finish
        // The phase's own deadline first: a connection that never said Hello is also idle.
        if (helloMs > 0 && connection->phase() == Phase::AwaitHello && connection->ageMs() >= helloMs) {
            m_metrics.limitClose("hello_timeout");
            connection->closeWithin(kCloseHelloTimeout, u"hello timeout"_s, kCloseGraceMs);
        } else if (authMs > 0 && connection->phase() != Phase::Authenticated
            && connection->ageMs() >= authMs) {
            m_metrics.limitClose("auth_timeout");
            connection->closeWithin(kCloseAuthTimeout, u"authentication timeout"_s, kCloseGraceMs);
        } else if (connection->idleMs() >= idleMs) {
            qCInfo(lcServer) << "conn" << connection->id() << "silent for" << connection->idleMs() << "ms";
            m_metrics.limitClose("idle_timeout");
            connection->closeWithin(kCloseIdleTimeout, u"idle timeout"_s, kCloseGraceMs);
        }
    }
}

void Server::shutdown(std::function<void()> finished)
{
    if (m_draining)
        return;
    m_finished = std::move(finished);
    m_draining = true;
    m_health.setDraining();
    m_dispatcher.setDraining(true);
    m_heartbeat->stop();
    m_listener->close();
    if (m_network)
        m_network->stopAccepting(); // refuses the handshakes still pending
    m_assets->drain();
    qCDebug(lcServer) << "shutting down:" << m_store->pending() << "store jobs pending," << m_registry.size()
                      << "connections";
    drain();
}

void Server::drain()
{
    // Answers to flushed jobs can queue more work (gap reads), so flush until nothing is left.
    if (m_store->pending() > 0) {
        m_store->flush([this] { drain(); });
        return;
    }
    closeConnections();
}

void Server::closeConnections()
{
    m_closeDeadline = new QTimer(this);
    m_closeDeadline->setSingleShot(true);
    connect(m_closeDeadline, &QTimer::timeout, this, [this] {
        for (ClientConnection *connection : m_registry.all())
            connection->abort();
        finishShutdown();
    });
    m_closeDeadline->start(kCloseGraceMs);
    if (m_registry.size() == 0)
        return finishShutdown();
    for (ClientConnection *connection : m_registry.all())
        connection->close(kCloseGoingAway, u"server shutting down"_s);
}

void Server::finishShutdown()
{
    if (!m_finished)
        return;
    m_closeDeadline->stop();
    // Before the store: Send.asset_ids marks queued by the last answered Sends are written first.
    m_assets->stop();
    m_store->stop();
    qCDebug(lcServer) << "database closed";
    auto finished = std::move(m_finished);
    m_finished = nullptr;
    finished();
}

} // namespace chattermesh::server

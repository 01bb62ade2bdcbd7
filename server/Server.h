// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConnectionRegistry.h"
#include "FrameDispatcher.h"
#include "Metrics.h"
#include "NetworkTypes.h"
#include "ServerConfig.h"
#include "ServerHealth.h"
#include "ServerMetrics.h"
#include "StoreTypes.h"

#include <QObject>
#include <functional>
#include <memory>

class QTimer;

namespace chattermesh::server {

class ClientConnection;
class FaultInjector;
class ConversationMembers;
class DeviceHandler;
class GroupHandler;
class PresenceTracker;
class PushFanout;
class ReadHandler;
class TypingHandler;
class AssetService;
class LiveDelivery;
class MessageHandler;
class NetworkPool;
class KeyHandler;
class SessionHandler;
class Store;
class TcpListener;

// The WebSocket front: accepts connections (on this thread) and hands them to the network threads,
// decodes the frames they read and hands them to the dispatcher (on this thread), drops silent
// connections, and shuts down in an order that loses no acknowledged work.
class Server : public QObject {
    Q_OBJECT
public:
    explicit Server(ServerConfig config, QObject *parent = nullptr);
    ~Server() override;

    // Opens the store and starts listening; the error text says what failed.
    Result<Unit, QString> start();
    QHostAddress address() const;
    quint16 port() const;
    quint16 assetPort() const;

    // A connection without a socket (ClientConnection's in-process form), served exactly like an
    // accepted one: the fuzz targets drive the real dispatch path through it. The server owns it.
    ClientConnection *openInProcess(const QString &peerAddress);
    // Store jobs queued or running; 0 once every answer to what was received has been sent.
    int pendingStoreJobs() const;

    // Stops listening, lets queued store work commit and be answered, closes every connection with
    // 1001, stops the asset service (new HTTP requests get 503 from the start, the one in progress
    // finishes), stops the writer and closes the database; then calls finished.
    void shutdown(std::function<void()> finished);

private:
    void onSocketEvent(SocketEvent &event);
    void onOpened(SocketEvent &event);
    // Registers a new connection (accepted or in-process) and routes its frames.
    void adopt(ClientConnection *connection);
    void onBinary(ClientConnection *connection, const QByteArray &bytes);
    void onDisconnected(ClientConnection *connection);
    void checkHeartbeats();
    void drain();
    void closeConnections();
    void finishShutdown();

    ServerConfig m_config;
    bool m_draining = false;
    // Before everything that reports to them: the asset thread and the store writer use both.
    Metrics m_metricsRegistry;
    ServerMetrics m_metrics { m_metricsRegistry };
    ServerHealth m_health;
    std::unique_ptr<Store> m_store;
    ConnectionRegistry m_registry;
    std::unique_ptr<LiveDelivery> m_delivery;
    std::unique_ptr<ConversationMembers> m_members;
    std::unique_ptr<PushFanout> m_fanout;
    std::unique_ptr<PresenceTracker> m_presence;
    std::unique_ptr<AssetService> m_assets;
    FrameDispatcher m_dispatcher;
    std::unique_ptr<SessionHandler> m_sessions;
    std::unique_ptr<DeviceHandler> m_devices;
    std::unique_ptr<MessageHandler> m_messages;
    std::unique_ptr<KeyHandler> m_keys;
    std::unique_ptr<GroupHandler> m_groups;
    std::unique_ptr<ReadHandler> m_reads;
    std::unique_ptr<TypingHandler> m_typing;
    // Listens and accepts here; each descriptor goes to a network thread of m_network, which runs
    // the TLS handshake (with --tls-cert), the WebSocket handshake and the socket
    // (docs/architecture.md, *Server threads*). Made by start(), once the TLS files are checked.
    TcpListener *m_listener;
    std::unique_ptr<NetworkPool> m_network;
    std::unique_ptr<FaultInjector> m_faults; // only with --faults
    // In-process connections' ids: far above what the pool's counter will reach.
    quint64 m_nextInProcessId = quint64(1) << 62;
    QTimer *m_heartbeat;
    QTimer *m_closeDeadline = nullptr;
    std::function<void()> m_finished;
};

} // namespace chattermesh::server

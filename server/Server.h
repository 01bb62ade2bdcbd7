// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConnectionRegistry.h"
#include "FrameDispatcher.h"
#include "Metrics.h"
#include "ServerConfig.h"
#include "ServerHealth.h"
#include "ServerMetrics.h"
#include "StoreTypes.h"

#include <QObject>
#include <functional>
#include <memory>

class QTcpServer;
class QTimer;
class QWebSocketServer;

namespace chattermesh::server {

class ClientConnection;
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
class KeyHandler;
class SessionHandler;
class Store;

// The WebSocket front: accepts connections, decodes frames and hands them to the dispatcher, drops
// silent connections, and shuts down in an order that loses no acknowledged work.
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

    // Stops listening, lets queued store work commit and be answered, closes every connection with
    // 1001, stops the asset service (new HTTP requests get 503 from the start, the one in progress
    // finishes), stops the writer and closes the database; then calls finished.
    void shutdown(std::function<void()> finished);

    // A connection without a socket (ClientConnection's in-process form), served exactly like an
    // accepted one: the fuzz targets drive the real dispatch path through it. The server owns it.
    ClientConnection *openInProcess(const QString &peerAddress);
    // Store jobs queued or running; 0 once every answer to what was received has been sent.
    int pendingStoreJobs() const;

private:
    void onTcpConnection();
    void onNewConnection();
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
    // Listens and accepts; each accepted socket gets TCP_NODELAY, then m_socketServer (which does
    // not listen itself) runs the WebSocket handshake on it.
    QTcpServer *m_tcpServer;
    QWebSocketServer *m_socketServer;
    QTimer *m_heartbeat;
    QTimer *m_closeDeadline = nullptr;
    quint64 m_nextConnectionId = 1;
    std::function<void()> m_finished;
};

} // namespace chattermesh::server

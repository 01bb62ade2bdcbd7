// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HandoffQueue.h"
#include "NetworkTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <chrono>
#include <functional>
#include <optional>

class QHostAddress;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace chattermesh::server {

class Gauge;
class NetworkPool;

// One network thread's share of the sockets: it turns accepted descriptors into WebSockets (the
// handshake runs here, on a QWebSocketServer of its own that does not listen), reads and writes
// their frames, and reports each socket's life to the dispatch thread through the pool. It holds no
// protocol state: the handlers stay on the dispatch thread and need no locks. Lives on its thread;
// only post() may be called from elsewhere.
class NetworkWorker : public QObject {
    Q_OBJECT
public:
    struct Settings {
        QString serverName;
        qint64 maxFrameBytes = 0;
        std::chrono::milliseconds handshakeTimeout { 0 }; // 0: Qt's default
        // With TLS (--tls-cert/--tls-key) each accepted socket is encrypted here before the
        // WebSocket handshake; failures are reported (on the worker's thread) to tlsFailed.
        std::optional<QSslConfiguration> tls;
        std::function<void(const QString &peer, const QString &reason)> tlsFailed;
    };

    // connections counts this thread's open WebSockets (/metrics); it and pool outlive the worker.
    NetworkWorker(int index, Settings settings, NetworkPool &pool, Gauge &connections);
    ~NetworkWorker() override;

    int index() const { return m_index; }
    // Any thread. Commands run in the order they were posted.
    void post(SocketCommand command);
    // On this worker's thread, once, before any command runs.
    void setUp();

private:
    struct Peer {
        QWebSocket *socket = nullptr;
        std::shared_ptr<OutboundGauge> outbound;
        bool backlogged = false;
    };

    void runCommands();
    void adopt(qintptr descriptor);
    void startHandshake(QTcpSocket *socket);
    QTcpSocket *acceptedSocket(qintptr descriptor);
    void takeHandshakenSockets();
    void forgetHandshake(QWebSocket *socket);
    static QString handshakeKey(const QHostAddress &address, quint16 port);
    void send(quint64 id, const QByteArray &bytes);
    void close(quint64 id, int code, const QString &reason, int abortAfterMs);
    void abort(quint64 id);
    void onDisconnected(quint64 id);
    void watchOutbound(quint64 id, Peer &peer);

    const int m_index;
    const Settings m_settings;
    NetworkPool &m_pool;
    Gauge &m_connections;
    HandoffQueue<SocketCommand> m_commands;
    QWebSocketServer *m_handshakes = nullptr;
    QHash<quint64, Peer> m_peers;
    QHash<QString, QPointer<QTcpSocket>> m_handshaking; // by peer address and port
    bool m_accepting = true;
    bool m_stopping = false;
};

} // namespace chattermesh::server

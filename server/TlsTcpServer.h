// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSslConfiguration>
#include <QTcpServer>
#include <functional>
#include <optional>

namespace chattermesh::server {

// The WebSocket port's listener. Without TLS it is a plain QTcpServer; with it, each accepted
// descriptor goes through TlsHandshake first and becomes a pending connection (a QSslSocket) only
// once encrypted, so whoever takes pending connections sees the same thing in both modes. (Qt's
// QSslServer does the same but cannot report failures to our metrics with the peer, nor set
// TCP_NODELAY before the handshake.)
class TlsTcpServer : public QTcpServer {
    Q_OBJECT
public:
    using HandshakeFailed = std::function<void(const QString &peer, const QString &reason)>;

    explicit TlsTcpServer(QObject *parent = nullptr) : QTcpServer(parent) { }

    void setTls(QSslConfiguration config, int handshakeTimeoutMs, HandshakeFailed failed);
    bool tlsEnabled() const { return m_config.has_value(); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::optional<QSslConfiguration> m_config;
    int m_handshakeTimeoutMs = 0;
    HandshakeFailed m_failed;
};

} // namespace chattermesh::server

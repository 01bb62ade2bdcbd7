// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsTcpServer.h"

#include "TlsHandshake.h"

#include <QSslSocket>

namespace chattermesh::server {

void TlsTcpServer::setTls(QSslConfiguration config, int handshakeTimeoutMs, HandshakeFailed failed)
{
    m_config = std::move(config);
    m_handshakeTimeoutMs = handshakeTimeoutMs;
    m_failed = std::move(failed);
}

void TlsTcpServer::incomingConnection(qintptr descriptor)
{
    if (!m_config)
        return QTcpServer::incomingConnection(descriptor);
    TlsHandshake::start(
        descriptor, *m_config, m_handshakeTimeoutMs, this,
        [this](QSslSocket *socket) {
            // Emits pendingConnectionAvailable, which the server listens to in both modes.
            addPendingConnection(socket);
        },
        m_failed);
}

} // namespace chattermesh::server

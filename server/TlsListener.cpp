// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsListener.h"

#include <QSslSocket>

namespace chattermesh::server {

TlsListener::TlsListener(
    QSslConfiguration config, int handshakeTimeoutMs, TlsHandshake::Failed failed, QObject *parent)
    : QTcpServer(parent),
      m_config(std::move(config)),
      m_handshakeTimeoutMs(handshakeTimeoutMs),
      m_failed(std::move(failed))
{ }

void TlsListener::incomingConnection(qintptr descriptor)
{
    // addPendingConnection() emits pendingConnectionAvailable, which QAbstractHttpServer listens
    // to (newConnection comes at accept time, before there is anything to take).
    TlsHandshake::start(
        descriptor, m_config, m_handshakeTimeoutMs, this,
        [this](QSslSocket *socket) { addPendingConnection(socket); }, m_failed,
        TlsHandshake::HandOver::AtServerHalf);
}

} // namespace chattermesh::server

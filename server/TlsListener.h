// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TlsHandshake.h"

#include <QSslConfiguration>
#include <QTcpServer>

namespace chattermesh::server {

// A listener for QAbstractHttpServer::bind() whose pending connections are QSslSockets past the
// server's half of the TLS handshake: what QSslServer gives, but through TlsHandshake, which keeps
// watching each socket until the client's first request bytes. QSslServer stops at its own half,
// so under TLS 1.3 a client that rejects our certificate (it can only tell us afterwards) went
// unseen on the asset port while the WebSocket port counted it.
class TlsListener : public QTcpServer {
    Q_OBJECT
public:
    // `failed` runs for every handshake that fails, on this object's thread.
    TlsListener(QSslConfiguration config, int handshakeTimeoutMs, TlsHandshake::Failed failed,
        QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslConfiguration m_config;
    int m_handshakeTimeoutMs;
    TlsHandshake::Failed m_failed;
};

} // namespace chattermesh::server

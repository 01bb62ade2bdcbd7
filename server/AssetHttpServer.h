// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetReply.h"

#include <QAbstractHttpServer>

namespace chattermesh::server {

class AssetAuthenticator;
class AssetRequests;
class OpsEndpoints;
class ServerMetrics;

// The HTTP front of the asset service: maps method and path to an AssetRequests call after the
// bearer token checks out (or to the operations endpoints, which need none), writes the reply,
// counts it, and logs one line per request (never the token). Lives on the asset thread; requests
// are handled one at a time, each to completion.
class AssetHttpServer final : public QAbstractHttpServer {
    Q_OBJECT
public:
    AssetHttpServer(AssetAuthenticator &authenticator, AssetRequests &requests, OpsEndpoints &ops,
        ServerMetrics &metrics, QObject *parent = nullptr);

    // From now on every request is answered 503 SERVER_SHUTTING_DOWN.
    void setDraining() { m_draining = true; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    AssetReply route(const QHttpServerRequest &request, qint64 nowMs);
    void send(const AssetReply &reply, const QHttpServerRequest &request, QTcpSocket *socket);

    AssetAuthenticator &m_authenticator;
    AssetRequests &m_requests;
    OpsEndpoints &m_ops;
    ServerMetrics &m_metrics;
    bool m_draining = false;
};

} // namespace chattermesh::server

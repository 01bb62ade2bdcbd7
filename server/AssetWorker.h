// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetFiles.h"
#include "Result.h"
#include "ServerConfig.h"

#include <QObject>
#include <QStringList>
#include <memory>

class QSslConfiguration;
class QTimer;

namespace chattermesh::server {

class AssetAuthenticator;
class AssetDatabase;
class AssetHttpServer;
class AssetRequests;
class AssetSweeper;
class OpsEndpoints;
class ServerHealth;
class ServerMetrics;

// Everything of the asset service that lives on the asset thread: its database connection, the
// blobs, the HTTP server (with the operations endpoints) and the sweep timer. AssetService calls each method
// on that thread.
class AssetWorker : public QObject {
    Q_OBJECT
public:
    AssetWorker(ServerConfig config, ServerMetrics &metrics, const ServerHealth &health);
    ~AssetWorker() override;

    // Opens the database, listens, runs the first sweep and starts the periodic one; the port.
    Result<quint16, QString> start();
    void drain(); // new requests get 503
    void markReferenced(quint64 userId, const QStringList &ids, qint64 nowMs);
    // Closes the HTTP server (and its connections) and the database.
    void stop();

private:
    void sweep();
    // The HTTP server behind TLS on the asset port; 0 if it cannot listen.
    quint16 listenHttps(const QSslConfiguration &tls);

    ServerConfig m_config;
    ServerMetrics &m_metrics;
    const ServerHealth &m_health;
    AssetFiles m_files;
    std::unique_ptr<AssetDatabase> m_database;
    std::unique_ptr<AssetAuthenticator> m_authenticator;
    std::unique_ptr<AssetRequests> m_requests;
    std::unique_ptr<AssetSweeper> m_sweeper;
    std::unique_ptr<OpsEndpoints> m_ops;
    std::unique_ptr<AssetHttpServer> m_http;
    QTimer *m_sweepTimer = nullptr;
};

} // namespace chattermesh::server

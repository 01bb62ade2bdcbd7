// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "ServerConfig.h"

#include <QStringList>
#include <atomic>
#include <memory>

class QThread;

namespace chattermesh::server {

class AssetWorker;
class ServerHealth;
class ServerMetrics;

// The asset service of docs/media.md: an HTTP server for encrypted media blobs (and the operations
// endpoints of docs/operations.md) on its own thread and event loop, so file I/O and hashing never delay
// WebSocket traffic. Owned and driven by the Server on the main thread; markReferenced() may be called from
// any thread.
class AssetService {
public:
    // metrics and health outlive the service; the asset thread reads and updates them.
    AssetService(const ServerConfig &config, ServerMetrics &metrics, const ServerHealth &health);
    ~AssetService(); // stop()

    // Starts the thread, opens the asset database connection and listens; blocks until done.
    Result<Unit, QString> start();
    quint16 port() const { return m_port.load(); }

    // Queued to the asset thread: Send.asset_ids of a durably stored message of userId.
    void markReferenced(quint64 userId, const QStringList &ids);
    // Queued: requests from now on get 503 SERVER_SHUTTING_DOWN; the one being handled finishes.
    void drain();
    // Blocks until the request being handled (and everything queued before) is done, closes the
    // HTTP server and the database connection, and joins the thread. Idempotent.
    void stop();

private:
    ServerConfig m_config;
    ServerMetrics &m_metrics;
    const ServerHealth &m_health;
    QThread *m_thread = nullptr;
    std::unique_ptr<AssetWorker> m_worker;
    std::atomic<quint16> m_port { 0 };
};

} // namespace chattermesh::server

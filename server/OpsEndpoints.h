// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetReply.h"

#include <QByteArray>
#include <optional>

class QHttpServerRequest;

namespace chattermesh::server {

class AssetDatabase;
class ServerHealth;
class ServerMetrics;

// The operations endpoints served beside the asset service (docs/operations.md): GET /healthz
// (the process answers), GET /readyz (ready to serve), GET /metrics (Prometheus text, behind
// --metrics-token when one is set). Runs on the asset thread, like the rest of the HTTP server.
class OpsEndpoints {
public:
    OpsEndpoints(
        QByteArray metricsToken, ServerMetrics &metrics, const ServerHealth &health, AssetDatabase &database);

    // The answer when the path is one of ours, nullopt otherwise.
    std::optional<AssetReply> handle(const QHttpServerRequest &request);

private:
    AssetReply metrics(const QHttpServerRequest &request);
    bool authorized(const QByteArray &authorization) const;

    QByteArray m_token;
    ServerMetrics &m_metrics;
    const ServerHealth &m_health;
    AssetDatabase &m_database;
};

} // namespace chattermesh::server

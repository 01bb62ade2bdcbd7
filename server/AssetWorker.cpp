// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetWorker.h"

#include "AssetAuthenticator.h"
#include "AssetDatabase.h"
#include "AssetHttpServer.h"
#include "AssetRequests.h"
#include "AssetSweeper.h"
#include "OpsEndpoints.h"
#include "ServerLog.h"
#include "ServerMetrics.h"
#include "TlsListener.h"
#include "TlsSetup.h"

#include <QDateTime>
#include <QDir>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

// From accept to the end of the server's half of the TLS handshake.
constexpr int kHandshakeTimeoutMs = 5000;

} // namespace

AssetWorker::AssetWorker(ServerConfig config, ServerMetrics &metrics, const ServerHealth &health)
    : m_config(std::move(config)),
      m_metrics(metrics),
      m_health(health),
      m_files(QDir(m_config.dataDir).filePath(u"assets"_s))
{ }

AssetWorker::~AssetWorker() = default;

Result<quint16, QString> AssetWorker::start()
{
    if (!m_files.prepare())
        return Failure<QString> { {}, u"cannot create the assets directory"_s };
    m_database = std::make_unique<AssetDatabase>();
    QString error;
    if (!m_database->open(QDir(m_config.dataDir).filePath(u"server.db"_s), &error))
        return Failure<QString> { {}, u"asset service: "_s + error };
    m_authenticator = std::make_unique<AssetAuthenticator>(*m_database);
    m_requests = std::make_unique<AssetRequests>(m_config, *m_database, m_files);
    m_sweeper = std::make_unique<AssetSweeper>(*m_database, m_files, AssetSweepRule::fromConfig(m_config));
    m_ops = std::make_unique<OpsEndpoints>(m_config.metricsToken, m_metrics, m_health, *m_database);
    m_http = std::make_unique<AssetHttpServer>(*m_authenticator, *m_requests, *m_ops, m_metrics);
    const auto tls = TlsSetup::fromConfig(m_config); // checked by Server::start already
    if (!tls.ok())
        return Failure<QString> { {}, tls.error().message };
    const quint16 port = tls.value() ? listenHttps(*tls.value())
                                     : m_http->listen(m_config.listenAddress, m_config.assetPort);
    if (port == 0)
        return Failure<QString> { {},
            u"cannot listen for assets on %1:%2"_s.arg(m_config.listenAddress.toString())
                .arg(m_config.assetPort) };
    // The first sweep runs as soon as start() has returned, not inside it: the port is printed first.
    QMetaObject::invokeMethod(this, &AssetWorker::sweep, Qt::QueuedConnection);
    m_sweepTimer = new QTimer(this);
    m_sweepTimer->setInterval(m_config.assetSweepSeconds * 1000);
    connect(m_sweepTimer, &QTimer::timeout, this, &AssetWorker::sweep);
    m_sweepTimer->start();
    return port;
}

quint16 AssetWorker::listenHttps(const QSslConfiguration &tls)
{
    // The HTTP server gets each socket once the server's half of the handshake is done, as from
    // QSslServer (whose 5 s bound on that half we keep); TlsListener also counts a client that
    // rejects the certificate afterwards, as the WebSocket port does.
    auto *listener
        = new TlsListener(tls, kHandshakeTimeoutMs, [this](const QString &peer, const QString &reason) {
              m_metrics.tlsHandshakeFailed("http"); // counters are atomic
              qCInfo(lcServer).noquote() << "TLS handshake with" << peer << "(assets) failed:" << reason;
          });
    if (!listener->listen(m_config.listenAddress, m_config.assetPort)) {
        delete listener;
        return 0;
    }
    m_http->bind(listener); // takes it as a child
    return listener->serverPort();
}

void AssetWorker::drain()
{
    if (m_http)
        m_http->setDraining();
}

void AssetWorker::markReferenced(quint64 userId, const QStringList &ids, qint64 nowMs)
{
    if (m_requests)
        m_requests->markReferenced(userId, ids, nowMs);
}

void AssetWorker::sweep()
{
    if (m_sweeper)
        m_sweeper->run(QDateTime::currentMSecsSinceEpoch());
}

void AssetWorker::stop()
{
    delete m_sweepTimer;
    m_sweepTimer = nullptr;
    m_http.reset(); // closes the listening socket and every connection
    m_ops.reset();
    m_sweeper.reset();
    m_requests.reset();
    m_authenticator.reset();
    if (m_database)
        m_database->close();
    m_database.reset();
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetService.h"

#include "AssetWorker.h"
#include "BulkPriority.h"
#include "ServerLog.h"

#include <QDateTime>
#include <QThread>
#include <optional>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

AssetService::AssetService(const ServerConfig &config, ServerMetrics &metrics, const ServerHealth &health)
    : m_config(config), m_metrics(metrics), m_health(health)
{ }

AssetService::~AssetService()
{
    stop();
}

Result<Unit, QString> AssetService::start()
{
    if (m_thread)
        return Failure<QString> { {}, u"the asset service is already running"_s };
    m_thread = new QThread;
    m_thread->setObjectName(u"assets"_s);
    m_worker = std::make_unique<AssetWorker>(m_config, m_metrics, m_health);
    m_worker->moveToThread(m_thread);
    m_thread->start();
    std::optional<Result<quint16, QString>> started;
    QMetaObject::invokeMethod(
        m_worker.get(),
        [this, &started] {
            lowerToBulkPriority();
            started.emplace(m_worker->start());
        },
        Qt::BlockingQueuedConnection);
    if (!started || !started->ok()) {
        const QString why = started ? started->error().message : u"the asset thread did not start"_s;
        stop();
        return Failure<QString> { {}, why };
    }
    m_port = started->value();
    qCInfo(lcServer) << "asset service on port" << port();
    return Unit {};
}

void AssetService::markReferenced(quint64 userId, const QStringList &ids)
{
    if (!m_worker || ids.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    AssetWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(
        worker, [worker, userId, ids, now] { worker->markReferenced(userId, ids, now); },
        Qt::QueuedConnection);
}

void AssetService::drain()
{
    if (!m_worker)
        return;
    AssetWorker *worker = m_worker.get();
    QMetaObject::invokeMethod(
        worker, [worker] { worker->drain(); }, Qt::QueuedConnection);
}

void AssetService::stop()
{
    if (!m_thread)
        return;
    if (m_thread->isRunning()) {
        AssetWorker *worker = m_worker.get();
        QMetaObject::invokeMethod(
            worker, [worker] { worker->stop(); }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    }
    // The thread has ended, so nothing of the worker runs any more; it is deleted from here.
    m_worker.reset();
    delete m_thread;
    m_thread = nullptr;
    qCDebug(lcServer) << "asset service stopped";
}

} // namespace chattermesh::server

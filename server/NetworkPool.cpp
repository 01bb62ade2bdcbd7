// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkPool.h"

#include "NetworkWorker.h"
#include "ServerConfig.h"
#include "ServerLog.h"
#include "ServerMetrics.h"

#include <QTcpSocket>
#include <QThread>

namespace chattermesh::server {

NetworkPool::NetworkPool(const ServerConfig &config, ServerMetrics &metrics,
    const std::optional<QSslConfiguration> &tls, EventHandler onEvent, QObject *parent)
    : QObject(parent), m_onEvent(std::move(onEvent))
{
    NetworkWorker::Settings settings;
    settings.serverName = QStringLiteral("chattermesh-server/" CHATTERMESH_VERSION);
    settings.maxFrameBytes = config.maxFrameBytes;
    settings.handshakeTimeout = std::chrono::seconds(config.helloTimeoutSeconds);
    settings.tls = tls;
    settings.tlsFailed = [&metrics](const QString &peer, const QString &reason) {
        metrics.tlsHandshakeFailed("ws"); // counters are atomic
        qCInfo(lcServer).noquote() << "TLS handshake with" << peer << "failed:" << reason;
    };
    const int count = std::max(1, config.networkThreads);
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("net-%1").arg(i));
        auto *worker = new NetworkWorker(i, settings, *this, metrics.networkThreadConnections(i));
        worker->moveToThread(thread);
        // Direct: started is emitted on the new thread before its event loop takes any command.
        connect(thread, &QThread::started, worker, &NetworkWorker::setUp, Qt::DirectConnection);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        m_threads.push_back(thread);
        m_workers.push_back(worker);
        thread->start();
    }
}

NetworkPool::~NetworkPool()
{
    stop();
}

void NetworkPool::adopt(qintptr descriptor)
{
    if (m_workers.empty()) {
        QTcpSocket orphan; // stopped: close the descriptor rather than leak it
        orphan.setSocketDescriptor(descriptor);
        orphan.abort();
        return;
    }
    SocketCommand command;
    command.kind = SocketCommand::Kind::Adopt;
    command.descriptor = descriptor;
    m_workers[m_next]->post(std::move(command));
    m_next = (m_next + 1) % m_workers.size();
}

void NetworkPool::stopAccepting()
{
    for (NetworkWorker *worker : m_workers) {
        SocketCommand command;
        command.kind = SocketCommand::Kind::StopAccepting;
        worker->post(std::move(command));
    }
}

void NetworkPool::stop()
{
    for (QThread *thread : m_threads)
        thread->quit();
    for (QThread *thread : m_threads) {
        thread->wait();
        delete thread;
    }
    m_threads.clear();
    m_workers.clear();
}

void NetworkPool::deliver(SocketEvent event)
{
    if (m_events.push(std::move(event)))
        QMetaObject::invokeMethod(this, &NetworkPool::dispatchEvents, Qt::QueuedConnection);
}

void NetworkPool::dispatchEvents()
{
    for (SocketEvent &event : m_events.takeAll())
        m_onEvent(event);
}

} // namespace chattermesh::server

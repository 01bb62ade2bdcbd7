// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HandoffQueue.h"
#include "NetworkTypes.h"

#include <QObject>
#include <QSslConfiguration>
#include <atomic>
#include <functional>
#include <optional>
#include <vector>

class QThread;

namespace chattermesh::server {

class NetworkWorker;
class ServerMetrics;
struct ServerConfig;

// The network threads: accepted descriptors are spread over them round robin, and what happens on
// their sockets comes back to the thread that owns the pool (the dispatch thread) as SocketEvents,
// in order per socket, a batch at a time. Commands for a socket go to NetworkWorker::post() of the
// worker that serves it.
class NetworkPool : public QObject {
    Q_OBJECT
public:
    using EventHandler = std::function<void(SocketEvent &event)>;

    // Starts `config.networkThreads` threads; onEvent runs on this object's thread.
    // tls: the workers encrypt every accepted socket with it (TLS handshake failures are counted
    // and logged from the workers' threads).
    NetworkPool(const ServerConfig &config, ServerMetrics &metrics,
        const std::optional<QSslConfiguration> &tls, EventHandler onEvent, QObject *parent = nullptr);
    // Stops the threads; sockets still open are dropped with them.
    ~NetworkPool() override;

    int size() const { return int(m_workers.size()); }
    NetworkWorker &worker(int index) { return *m_workers[size_t(index)]; }
    // Hands an accepted TCP descriptor to the next thread.
    void adopt(qintptr descriptor);
    // New descriptors are closed and pending handshakes refused (shutdown).
    void stopAccepting();
    // Joins the threads. Call after every connection the server cares about has closed.
    void stop();

    // For the workers, on their threads.
    void deliver(SocketEvent event);
    quint64 nextConnectionId() { return m_nextId.fetch_add(1, std::memory_order_relaxed); }

private:
    void dispatchEvents();

    EventHandler m_onEvent;
    std::vector<QThread *> m_threads;
    std::vector<NetworkWorker *> m_workers; // each lives on, and is deleted by, its thread
    HandoffQueue<SocketEvent> m_events;
    std::atomic<quint64> m_nextId { 1 };
    size_t m_next = 0;
};

} // namespace chattermesh::server

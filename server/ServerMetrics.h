// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Metrics.h"

#include <QHash>

namespace chattermesh::server {

// The server's metrics (docs/operations.md lists each one), created once in a registry the Server
// owns and handed to whoever updates them. Thread-safe: the WebSocket thread, the asset thread and
// the store writer all call in.
class ServerMetrics {
public:
    explicit ServerMetrics(Metrics &registry);

    // WebSocket connections.
    void connectionOpened();
    void connectionClosed();
    // WebSockets open on network thread `index` (counted by that thread).
    Gauge &networkThreadConnections(int index);
    // The server closed a connection because a limit was hit: "max_connections", ...
    void limitClose(const char *reason);
    // One WebSocket message: type is the Frame body's field name ("send", "delivery_ack"), or
    // "malformed", "unknown" or "text" for what did not decode to a request body.
    void frameIn(int bodyCase, qint64 bytes);
    void frameIn(const char *type, qint64 bytes);
    void frameOut(int bodyCase, qint64 bytes);
    // A TLS handshake that did not finish: listener "ws" or "http".
    void tlsHandshakeFailed(const char *listener);
    // protocol: "ws" or "http"; reason: the error code in lower case, or "metrics_token".
    void authFailed(const char *protocol, const char *reason);
    // Every typed error answered: an Error frame's code name, or an HTTP error body's "error".
    void rejected(const char *protocol, const char *code);
    void httpRequest(int status);
    void sendAcked(double ms);
    void sendDelivered(double ms);
    // One store batch: committed or failed, its size and how long COMMIT took.
    void storeBatch(bool committed, size_t jobs, double commitMs);
    // --faults injected one (kind: drop, dup, delay, reorder, disconnect; direction: in, out).
    void faultInjected(const char *kind, const char *direction);
    // Figures read at scrape time.
    void setMailboxDepth(qint64 entries) { m_mailboxDepth.set(entries); }
    void setAssetBytesStored(qint64 bytes) { m_assetBytes.set(bytes); }

    QByteArray render() const { return m_registry.render(); }

private:
    struct Traffic {
        Counter *frames = nullptr;
        Counter *bytes = nullptr;
    };
    static QHash<int, Traffic> perBody(CounterFamily &frames, CounterFamily &bytes);

    Metrics &m_registry;
    Gauge &m_connectionsOpen;
    Counter &m_connectionsAccepted;
    GaugeFamily &m_threadConnections;
    CounterFamily &m_authFailures;
    CounterFamily &m_limitCloses;
    CounterFamily &m_tlsHandshakeFailures;
    CounterFamily &m_framesIn;
    CounterFamily &m_framesOut;
    CounterFamily &m_bytesIn;
    CounterFamily &m_bytesOut;
    // Every request and answer body, made at start so the hot path takes no lock.
    const QHash<int, Traffic> m_in;
    const QHash<int, Traffic> m_out;
    CounterFamily &m_rejected;
    CounterFamily &m_httpRequests;
    Histogram &m_sendAck;
    Histogram &m_sendDeliver;
    Counter &m_storeCommits;
    Counter &m_storeFailures;
    Histogram &m_storeBatchJobs;
    Histogram &m_storeCommitMs;
    Gauge &m_mailboxDepth;
    Gauge &m_assetBytes;
    CounterFamily &m_faults;
};

} // namespace chattermesh::server

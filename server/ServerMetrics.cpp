// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerMetrics.h"

#include "FrameCodec.h"

namespace chattermesh::server {

namespace {

// Milliseconds, from a loopback round trip to a slow disk's fsync under load.
const std::vector<double> kLatencyMs { 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000 };
const std::vector<double> kBatchJobs { 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000 };

// Pseudo body cases for what did not decode to a known body; Frame field numbers are positive.
constexpr int kMalformed = -1;
constexpr int kUnknown = -2;
constexpr int kText = -3;

int pseudoCase(const char *type)
{
    const QByteArray name(type);
    if (name == "unknown")
        return kUnknown;
    if (name == "text")
        return kText;
    return kMalformed;
}

} // namespace

ServerMetrics::ServerMetrics(Metrics &registry)
    : m_registry(registry),
      m_connectionsOpen(registry.gauge("chattermesh_connections_open", "WebSocket connections open now.")),
      m_connectionsAccepted(registry.counter(
          "chattermesh_connections_accepted_total", "WebSocket connections accepted since start.")),
      m_threadConnections(registry.gauges("chattermesh_network_thread_connections",
          "WebSockets open on each network thread, refused ones still closing included.", { "thread" })),
      m_authFailures(registry.counters("chattermesh_auth_failures_total",
          "Refused authentication attempts, by protocol (ws, http) and reason.", { "protocol", "reason" })),
      m_limitCloses(registry.counters("chattermesh_limit_closes_total",
          "WebSocket connections the server closed because they hit a limit, by reason.", { "reason" })),
      m_tlsHandshakeFailures(registry.counters("chattermesh_tls_handshake_failures_total",
          "TLS handshakes that failed or timed out, by listener (ws, http).", { "listener" })),
      m_framesIn(registry.counters(
          "chattermesh_frames_in_total", "WebSocket messages received, by frame body type.", { "type" })),
      m_framesOut(registry.counters(
          "chattermesh_frames_out_total", "WebSocket messages sent, by frame body type.", { "type" })),
      m_bytesIn(registry.counters("chattermesh_bytes_in_total",
          "Bytes of WebSocket messages received, by frame body type.", { "type" })),
      m_bytesOut(registry.counters("chattermesh_bytes_out_total",
          "Bytes of WebSocket messages sent, by frame body type.", { "type" })),
      m_in(perBody(m_framesIn, m_bytesIn)),
      m_out(perBody(m_framesOut, m_bytesOut)),
      m_rejected(registry.counters("chattermesh_rejected_requests_total",
          "Requests answered with a typed error, by protocol (ws, http) and error code.",
          { "protocol", "code" })),
      m_httpRequests(registry.counters(
          "chattermesh_http_requests_total", "HTTP requests answered, by status.", { "status" })),
      m_sendAck(registry.histogram("chattermesh_send_ack_latency_ms",
          "Milliseconds from a Send frame received to its Ack written (after the commit).", kLatencyMs)),
      m_sendDeliver(registry.histogram("chattermesh_send_deliver_latency_ms",
          "Milliseconds from a Send frame received to its Deliver written to a live recipient device.",
          kLatencyMs)),
      m_storeCommits(registry.counter("chattermesh_store_commits_total", "Store batches committed.")),
      m_storeFailures(registry.counter(
          "chattermesh_store_failures_total", "Store batches that failed (every job answered INTERNAL).")),
      m_storeBatchJobs(registry.histogram(
          "chattermesh_store_batch_jobs", "Jobs per store batch (group commit).", kBatchJobs)),
      m_storeCommitMs(registry.histogram(
          "chattermesh_store_commit_ms", "Milliseconds one store COMMIT (with its fsync) took.", kLatencyMs)),
      m_mailboxDepth(registry.gauge("chattermesh_mailbox_depth",
          "Mailbox entries not yet acknowledged, over every device (read at scrape time).")),
      m_assetBytes(registry.gauge("chattermesh_asset_bytes_stored",
          "Bytes of asset blobs stored, finished or not (read at scrape time).")),
      m_faults(registry.counters("chattermesh_faults_injected_total",
          "Faults injected on purpose by --faults, by kind and direction (in: from clients).",
          { "kind", "direction" }))
{ }

QHash<int, ServerMetrics::Traffic> ServerMetrics::perBody(CounterFamily &frames, CounterFamily &bytes)
{
    QHash<int, Traffic> table;
    const auto add = [&](int bodyCase, const QByteArray &type) {
        table.insert(bodyCase, Traffic { &frames.with({ type }), &bytes.with({ type }) });
    };
    const google::protobuf::OneofDescriptor *body = proto::Frame::descriptor()->FindOneofByName("body");
    for (int i = 0; body && i < body->field_count(); ++i)
        add(body->field(i)->number(), QByteArray::fromStdString(body->field(i)->name()));
    add(kMalformed, "malformed");
    add(kUnknown, "unknown");
    add(kText, "text");
    return table;
}

void ServerMetrics::connectionOpened()
{
    m_connectionsAccepted.inc();
    m_connectionsOpen.add(1);
}

Gauge &ServerMetrics::networkThreadConnections(int index)
{
    return m_threadConnections.with({ QByteArray::number(index) });
}

void ServerMetrics::connectionClosed()
{
    m_connectionsOpen.add(-1);
}

void ServerMetrics::frameIn(int bodyCase, qint64 bytes)
{
    const auto found = m_in.constFind(bodyCase);
    const Traffic &traffic = found != m_in.cend() ? *found : m_in[kUnknown];
    traffic.frames->inc();
    traffic.bytes->inc(quint64(bytes));
}

void ServerMetrics::frameIn(const char *type, qint64 bytes)
{
    frameIn(pseudoCase(type), bytes);
}

void ServerMetrics::frameOut(int bodyCase, qint64 bytes)
{
    const auto found = m_out.constFind(bodyCase);
    const Traffic &traffic = found != m_out.cend() ? *found : m_out[kUnknown];
    traffic.frames->inc();
    traffic.bytes->inc(quint64(bytes));
}

void ServerMetrics::limitClose(const char *reason)
{
    m_limitCloses.with({ reason }).inc();
}

void ServerMetrics::tlsHandshakeFailed(const char *listener)
{
    m_tlsHandshakeFailures.with({ listener }).inc();
}

void ServerMetrics::authFailed(const char *protocol, const char *reason)
{
    m_authFailures.with({ protocol, reason }).inc();
}

void ServerMetrics::rejected(const char *protocol, const char *code)
{
    m_rejected.with({ protocol, code }).inc();
}

void ServerMetrics::httpRequest(int status)
{
    m_httpRequests.with({ QByteArray::number(status) }).inc();
}

void ServerMetrics::sendAcked(double ms)
{
    m_sendAck.observe(ms);
}

void ServerMetrics::sendDelivered(double ms)
{
    m_sendDeliver.observe(ms);
}

void ServerMetrics::storeBatch(bool committed, size_t jobs, double commitMs)
{
    m_storeBatchJobs.observe(double(jobs));
    if (!committed) {
        m_storeFailures.inc();
        return;
    }
    m_storeCommits.inc();
    m_storeCommitMs.observe(commitMs);
}

void ServerMetrics::faultInjected(const char *kind, const char *direction)
{
    m_faults.with({ kind, direction }).inc();
}

} // namespace chattermesh::server

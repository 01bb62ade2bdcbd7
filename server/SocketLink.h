// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkTypes.h"

namespace chattermesh::server {

class NetworkWorker;

// The dispatch thread's side of one socket served by a network thread: every call becomes a
// command the worker runs in order, so it is cheap, never blocks, and is harmless once the socket
// is gone (the worker drops commands for sockets it no longer has). The worker outlives every link.
class SocketLink {
public:
    SocketLink(NetworkWorker &worker, quint64 id, std::shared_ptr<OutboundGauge> outbound);

    void sendBinary(const QByteArray &bytes);
    // abortAfterMs > 0: abort if the peer has not finished the close handshake by then.
    void close(int code, const QString &reason, int abortAfterMs = 0);
    void abort();
    // Bytes written but not yet taken by the peer, as far as this thread can know.
    qint64 bytesToWrite() const { return m_outbound->total(); }

private:
    NetworkWorker *m_worker;
    quint64 m_id;
    std::shared_ptr<OutboundGauge> m_outbound;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <atomic>
#include <memory>

namespace chattermesh::server {

// What a connection has written but the peer has not taken yet, shared by the dispatch thread (which
// reads it for the --max-outbound-kb bound before queueing a frame) and the socket's network thread.
// Two parts because neither thread sees both: frames posted but not yet handed to the socket, and
// bytes the socket still holds. The sum may briefly count a frame twice; never zero while data waits.
struct OutboundGauge {
    std::atomic<qint64> inTransit { 0 }; // dispatch thread adds, network thread subtracts
    std::atomic<qint64> inSocket { 0 }; // QWebSocket::bytesToWrite(), published by the network thread
    qint64 total() const
    {
        return inTransit.load(std::memory_order_relaxed) + inSocket.load(std::memory_order_relaxed);
    }
};

// A network thread telling the dispatch thread about one of its sockets; in order per socket.
struct SocketEvent {
    enum class Kind { Opened, Binary, Text, Closed };
    Kind kind = Kind::Binary;
    quint64 id = 0; // the connection id, unique in the process
    QByteArray bytes; // Binary: the message
    qint64 textBytes = 0; // Text: its size in UTF-8 (the text itself is not part of the protocol)
    int closeCode = 0; // Closed: how the socket was closed, by either side
    QString closeReason;
    // Opened: which network thread serves it, the peer, and its outbound gauge.
    int worker = -1;
    QString peer;
    QString peerAddress;
    std::shared_ptr<OutboundGauge> outbound;
};

// The dispatch thread (or the listener) telling a network thread what to do; in order per socket.
struct SocketCommand {
    enum class Kind { Adopt, Send, Close, Abort, StopAccepting };
    Kind kind = Kind::Send;
    quint64 id = 0;
    qintptr descriptor = -1; // Adopt: an accepted TCP socket
    QByteArray bytes; // Send
    int closeCode = 0; // Close
    QString closeReason;
    int abortAfterMs = 0; // Close: abort if the close handshake has not finished by then (0: never)
};

} // namespace chattermesh::server

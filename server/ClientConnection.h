// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"
#include "SocketLink.h"

#include <QElapsedTimer>
#include <QObject>
#include <algorithm>
#include <optional>
#include <utility>

namespace chattermesh::server {

class FaultInjector;
class FaultyLink;
class ServerMetrics;

// One accepted WebSocket and what the server knows about it: where it is in the session, who it
// is, and how far live delivery has got on it. Lives on the dispatch thread with the handlers; the
// socket itself lives on a network thread and is reached through a SocketLink, and what happens on
// it arrives through the received/closed calls (Server routes the pool's events here).
class ClientConnection : public QObject {
    Q_OBJECT
public:
    enum class Phase { AwaitHello, Unauthenticated, Authenticated };

    // Counts every frame it sends (and every error it answers) in metrics, which outlives it. More
    // than maxOutboundBytes unsent (0: no bound) closes it (4005): the peer reads too slowly.
    // peer is "address:port", peerAddress the address alone.
    ClientConnection(SocketLink socket, quint64 id, QString peer, QString peerAddress, ServerMetrics &metrics,
        qint64 maxOutboundBytes, QObject *parent = nullptr);
    // A connection with no socket, driven in-process (the fuzz targets, tests/fuzz): receive()
    // feeds it, what it sends comes out of sent(), and close() or abort() end it on the next turn of
    // the event loop, as a closing socket would.
    ClientConnection(
        const QString &peerAddress, quint64 id, ServerMetrics &metrics, QObject *parent = nullptr);
    ~ClientConnection() override;

    quint64 id() const { return m_id; }
    QString peer() const { return m_peer; }
    QString peerAddress() const { return m_peerAddress; } // without the port

    Phase phase() const { return m_phase; }
    void helloDone() { m_phase = Phase::Unauthenticated; }
    void authenticate(quint64 userId, quint64 deviceId, const QString &username);
    bool authInFlight() const { return m_authInFlight; }
    void setAuthInFlight(bool inFlight) { m_authInFlight = inFlight; }
    // The auth request (Register, Login, Resume) the dispatcher last let through on this
    // connection, to tell a copy of it (the same frame again: --faults dup, a duplicating proxy)
    // from a new request. docs/protocol.md, *What a client must tolerate*, rule 6.
    void noteAuthRequest(const proto::Frame &frame);
    bool repeatsAuthRequest(const proto::Frame &frame) const;
    quint64 userId() const { return m_userId; }
    quint64 deviceId() const { return m_deviceId; }
    const QString &username() const { return m_username; }

    // Live delivery: once a Sync has returned more=false, new mailbox entries are pushed. sentUpTo
    // is the highest inbox_seq this connection has been given, by push or by SyncBatch.
    bool isLive() const { return m_live; }
    void setLive() { m_live = true; }
    quint64 sentUpTo() const { return m_sentUpTo; }
    void setSentUpTo(quint64 inboxSeq) { m_sentUpTo = inboxSeq; }
    // The highest inbox_seq this connection has been sent (by Sync or push); a DeliveryAck can
    // only acknowledge what was given, or a client could delete mail it never received.
    quint64 maxGiven() const { return m_maxGiven; }
    // Sync{after} says the device holds everything up to `after` from earlier connections.
    void noteHeld(quint64 inboxSeq) { m_maxGiven = std::max(m_maxGiven, inboxSeq); }
    bool fetchInFlight() const { return m_fetchInFlight; }
    void setFetchInFlight(bool inFlight) { m_fetchInFlight = inFlight; }

    void send(const proto::Frame &frame);
    // An ephemeral push already encoded (the same bytes for many connections); bodyCase is its
    // Frame::BodyCase, for the metrics.
    void sendEncoded(const QByteArray &bytes, int bodyCase);
    void sendError(quint64 requestId, proto::ErrorCode code, const QString &message);
    // Sends a close frame; frames already sent go out first. Further input is ignored.
    void close(int code, const QString &reason);
    void abort();
    bool isClosing() const { return m_closing; }

    // How the socket was closed, by either side (for the log); known once disconnected.
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }

    // From the socket's network thread, in order: a message, a text message's size, the end.
    void received(const QByteArray &bytes);
    void receivedText(qint64 bytes);
    void socketClosed(int code, const QString &reason);
    // In-process: a frame from the "client" (what received() is for a socket).
    void receive(const QByteArray &bytes) { received(bytes); }

    // Milliseconds since the last frame from the client, and since the WebSocket opened.
    qint64 idleMs() const { return m_lastFrame.elapsed(); }
    qint64 ageMs() const { return m_opened.elapsed(); }
    // close(), and abort() if the peer has not finished the close handshake within graceMs (a peer
    // that stopped reading, or is gone, never will).
    void closeWithin(int code, const QString &reason, int graceMs);
    // --faults: from now on frames both ways pass through the injector's faults.
    void injectFaults(FaultInjector &injector);

Q_SIGNALS:
    void binaryReceived(const QByteArray &bytes);
    void textReceived(qint64 bytes);
    void disconnected();
    // In-process only: a frame the server wrote to this connection.
    void sent(const QByteArray &bytes);

private:
    void endWithoutSocket(int code, const QString &reason);
    bool cutIfBacklogged(); // true: over maxOutboundBytes, closing
    void write(const QByteArray &bytes); // to the socket, through m_faults if set

    std::optional<SocketLink> m_socket; // none: driven in-process
    quint64 m_id;
    ServerMetrics &m_metrics;
    qint64 m_maxOutboundBytes;
    QString m_peer;
    QString m_peerAddress;
    Phase m_phase = Phase::AwaitHello;
    bool m_authInFlight = false;
    std::optional<std::pair<quint64, size_t>> m_authRequest; // request_id, fingerprint
    quint64 m_userId = 0;
    quint64 m_deviceId = 0;
    QString m_username;
    bool m_live = false;
    quint64 m_sentUpTo = 0;
    quint64 m_maxGiven = 0;
    bool m_fetchInFlight = false;
    bool m_closing = false;
    bool m_disconnected = false;
    int m_closeCode = 0;
    QString m_closeReason;
    QElapsedTimer m_lastFrame;
    QElapsedTimer m_opened;
    FaultyLink *m_faults = nullptr; // a child; only with --faults
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Backoff.h"
#include "CertificatePins.h"
#include "Clock.h"
#include "FrameCodec.h"
#include "Heartbeat.h"
#include "TlsTrust.h"

#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace chattermesh::sync {

Q_DECLARE_LOGGING_CATEGORY(lcSync)

// One WebSocket to the server that keeps itself alive: connects, says Hello, waits for Welcome,
// pings when quiet, declares the link dead on silence, and reconnects with jittered backoff until
// stop(). It knows frames, not accounts: authentication and sync belong to the engine above.
class Connection : public QObject {
    Q_OBJECT
public:
    enum class State { Stopped, Waiting, Connecting, Handshaking, Ready };
    static constexpr int kCloseReplaced = 4000;
    static constexpr int kCloseDeviceRemoved = 4001;
    Q_ENUM(State)

    struct Options {
        QUrl url;
        QString clientName = QStringLiteral("chattermesh/" CHATTERMESH_VERSION);
        int minBackoffMs = 250;
        int maxBackoffMs = 30'000;
        qint64 heartbeatMs = 15'000;
        qint64 deadAfterMs = 45'000;
        int tickMs = 1000;
        // A request unanswered this long (Hello, Send, Sync, ...): the link is taken for broken,
        // dropped and made again; what was in flight is resent from the outbox and the Sync
        // cursor (docs/protocol.md, *What a client must tolerate*). 0: wait forever.
        qint64 requestTimeoutMs = 30'000;
        qsizetype maxFrameBytes = proto::kClientFrameBytes;
        const Clock *clock = nullptr; // defaults to the system clock
        std::function<double()> random; // for the backoff jitter
        // TLS (wss://): the server's certificate must verify against the system's CAs plus those
        // in caFile; with pins, its key is pinned on first use and must match afterwards.
        QString caFile;
        CertificatePins *pins = nullptr; // not owned; nullptr: no pinning
        bool allowPlainText = false; // ws:// to a host other than loopback
    };

    explicit Connection(Options options, QObject *parent = nullptr);
    ~Connection() override;

    void start();
    void stop();
    // Aborts the socket as a network failure would, then reconnects with backoff.
    void drop(const QString &reason);

    // Sends a frame; a request (request_id 0) gets a fresh id, returned. Returns 0 when not connected.
    quint64 send(proto::Frame frame);
    quint64 sendRequest(proto::Frame frame);

    // A binary message from the server, as the socket delivers it. Public so that an in-process
    // driver (the client fuzz target, tests/fuzz) can feed the engine above without a socket.
    void receive(const QByteArray &bytes);

    State state() const { return m_state; }
    const proto::Welcome &welcome() const { return m_welcome; }
    int reconnects() const { return m_reconnects; }
    qsizetype outstandingRequests() const { return m_outstanding.size(); }
    // The close code of the last link that went down (1006: no close frame, it was cut).
    int lastCloseCode() const { return m_lastCloseCode; }
    void setUrl(const QUrl &url) { m_options.url = url; }
    QUrl url() const { return m_options.url; }

Q_SIGNALS:
    void stateChanged(chattermesh::sync::Connection::State state);
    void ready();
    void frameReceived(const chattermesh::proto::Frame &frame);
    void lost(const QString &reason);
    // The server refused us in a way a retry will not fix (e.g. no common protocol version).
    void refused(chattermesh::proto::ErrorCode code, const QString &message);
    // The server closed with a code that forbids reconnecting (4000, 4001); the connection stopped.
    void ended(int closeCode, const QString &reason);
    // TLS refused the server (or plain text was not allowed) before anything was sent over the
    // socket; the connection stopped: retrying cannot fix a certificate, and would hide why.
    void tlsFailed(chattermesh::sync::TlsError error, const QString &message);

private:
    void setState(State s);
    void openSocket();
    void onConnected();
    void onDisconnected();
    void onTick();
    void scheduleReconnect();
    // Pins or checks the server's key once TLS verified it; false: refused (and stopped).
    bool checkPin();
    void failTls(TlsError error, const QString &message);
    const Clock *clock() const { return m_options.clock ? m_options.clock : SystemClock::instance(); }

    Options m_options;
    QWebSocket *m_socket = nullptr;
    Backoff m_backoff;
    Heartbeat m_heartbeat;
    QTimer m_reconnectTimer { this }; // children: they must follow the connection to its thread
    QTimer m_tickTimer { this };
    State m_state = State::Stopped;
    proto::Welcome m_welcome;
    quint64 m_nextRequestId = 1;
    QHash<quint64, qint64> m_outstanding; // request id → when it was sent, until answered
    int m_reconnects = 0;
    int m_lastCloseCode = 0;
    bool m_everReady = false;
    std::optional<QSslConfiguration> m_tls; // built by start() for a wss:// URL
    QList<QSslError> m_sslErrors; // of the attempt under way
};

} // namespace chattermesh::sync

Q_DECLARE_METATYPE(chattermesh::sync::TlsError)

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSslConfiguration>
#include <functional>

class QObject;
class QSslSocket;

namespace chattermesh::server {

// The server half of one TLS handshake on a freshly accepted connection. Runs on whichever thread
// calls start() (the accepting thread, or a network worker that took the descriptor), so the accept
// path can hand descriptors to threads without knowing about TLS.
//
// A handshake is called done only when the client's first application bytes arrive: under TLS 1.3
// the server finishes its half before the client has checked our certificate, and a client that
// rejects it answers with an alert or a bare close instead of data. Both ports count that as the
// failure it is; they differ only in when they take the socket (HandOver).
class TlsHandshake {
public:
    using Encrypted = std::function<void(QSslSocket *socket)>; // the caller owns the socket now
    using Failed = std::function<void(const QString &peer, const QString &reason)>;

    enum class HandOver {
        // Once the client's first bytes are readable, left unread. Until then the socket is ours
        // and `timeoutMs` bounds the wait (the WebSocket port: its client speaks first, with the
        // upgrade request).
        AtFirstBytes,
        // As soon as the server's half is done, as QSslServer would hand it to QAbstractHttpServer;
        // `timeoutMs` bounds only that half. The socket is still watched until its first bytes: a
        // client that rejects the certificate then is reported through `failed`, and its new owner
        // sees it close. An HTTP client may open a connection it ends up not needing and close it
        // politely (TLS close_notify) before any request: that is not a failure.
        AtServerHalf,
    };

    // Wraps `descriptor` in a QSslSocket (child of `parent`, TCP_NODELAY set) and starts server
    // encryption. `encrypted` runs at most once, when the socket is handed over (see HandOver);
    // `failed` runs at most once, instead of it or (AtServerHalf) after it, on a TLS error, a
    // disconnect, or after `timeoutMs` without a finished handshake: a peer that connects and says
    // nothing must not hold a socket. A socket that fails before it was handed over is deleted.
    static void start(qintptr descriptor, const QSslConfiguration &config, int timeoutMs, QObject *parent,
        Encrypted encrypted, Failed failed, HandOver handOver = HandOver::AtFirstBytes);
};

} // namespace chattermesh::server

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
class TlsHandshake {
public:
    using Encrypted = std::function<void(QSslSocket *socket)>; // the caller owns the socket now
    using Failed = std::function<void(const QString &peer, const QString &reason)>;

    // Wraps `descriptor` in a QSslSocket (child of `parent`, TCP_NODELAY set) and starts server
    // encryption. Exactly one of the callbacks runs: `encrypted` once the handshake is done and the
    // client's first bytes are readable (the socket is handed over with them unread), or
    // `failed` (the socket is then deleted) on a TLS error, a disconnect, or after `timeoutMs`
    // without a finished handshake: a peer that connects and says nothing must not hold a socket.
    static void start(qintptr descriptor, const QSslConfiguration &config, int timeoutMs, QObject *parent,
        Encrypted encrypted, Failed failed);
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsHandshake.h"

#include <QSslSocket>
#include <QTimer>
#include <memory>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

void TlsHandshake::start(qintptr descriptor, const QSslConfiguration &config, int timeoutMs, QObject *parent,
    Encrypted encrypted, Failed failed)
{
    auto *socket = new QSslSocket(parent);
    if (!socket->setSocketDescriptor(descriptor)) {
        const QString reason = socket->errorString();
        delete socket;
        failed(QString(), reason);
        return;
    }
    // Nagle off, as on plain connections (Server::onTcpConnection says why): TLS records are
    // written per frame just the same.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    socket->setSslConfiguration(config);
    const QString peer = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());

    // Shared by the handlers below; whichever fires first settles the socket and disarms the rest.
    struct State {
        QSslSocket *socket;
        QTimer timer;
        Encrypted encrypted;
        Failed failed;
        QString peer;
        QString sslErrors; // certificate-level reasons, more telling than the socket error
    };
    auto state = std::make_shared<State>();
    state->socket = socket;
    state->encrypted = std::move(encrypted);
    state->failed = std::move(failed);
    state->peer = peer;
    auto fail = [state](const QString &reason) {
        if (!state->socket)
            return;
        QSslSocket *s = std::exchange(state->socket, nullptr);
        state->timer.stop();
        s->disconnect();
        s->abort();
        s->deleteLater();
        state->failed(state->peer, state->sslErrors.isEmpty() ? reason : state->sslErrors);
    };
    state->timer.setSingleShot(true);
    QObject::connect(&state->timer, &QTimer::timeout, socket, [fail] { fail(u"TLS handshake timed out"_s); });
    QObject::connect(socket, &QSslSocket::sslErrors, socket, [state](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts.append(error.errorString());
        state->sslErrors = texts.join(u"; "_s);
    });
    QObject::connect(socket, &QSslSocket::errorOccurred, socket,
        [fail, socket](QAbstractSocket::SocketError) { fail(socket->errorString()); });
    QObject::connect(socket, &QSslSocket::disconnected, socket,
        [fail] { fail(u"peer closed the connection during the TLS handshake"_s); });
    // Done once the client has sent its first bytes, not at `encrypted`: under TLS 1.3 the server
    // finishes its half before the client has checked our certificate, and a client that rejects
    // it answers with an alert instead of data. Waiting for data counts that as the failure it is
    // (a WebSocket client always speaks first: its upgrade request).
    auto done = [state] {
        if (!state->socket)
            return;
        QSslSocket *s = std::exchange(state->socket, nullptr);
        state->timer.stop();
        s->disconnect(s); // our handlers only: the new owner connects its own
        state->encrypted(s);
    };
    QObject::connect(socket, &QSslSocket::encrypted, socket, [socket, done] {
        if (socket->bytesAvailable() > 0)
            done();
    });
    QObject::connect(socket, &QSslSocket::readyRead, socket, done);
    if (timeoutMs > 0)
        state->timer.start(timeoutMs);
    socket->startServerEncryption();
}

} // namespace chattermesh::server

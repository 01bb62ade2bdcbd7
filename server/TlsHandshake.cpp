// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsHandshake.h"

#include <QList>
#include <QSslSocket>
#include <QTimer>
#include <memory>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

enum class Phase {
    Handshake, // the socket is ours
    Watching, // handed over (AtServerHalf), waiting for the client's first bytes
    Settled,
};

// Shared by the handlers of one handshake; whichever settles it first disarms the rest.
struct State {
    Phase phase = Phase::Handshake;
    TlsHandshake::HandOver handOver = TlsHandshake::HandOver::AtFirstBytes;
    QSslSocket *socket = nullptr;
    QTimer timer;
    TlsHandshake::Encrypted encrypted;
    TlsHandshake::Failed failed;
    QString peer;
    QString sslErrors; // certificate-level reasons, more telling than the socket error
    QString alert; // a fatal alert from the client (e.g. "unknown CA"): why it gave up
    bool closeNotify = false; // the client closed politely
    bool serverHalfDone = false;
    // Ours only: once the socket is handed over its owner connects its own handlers, which a
    // blanket disconnect would cut.
    QList<QMetaObject::Connection> connections;

    // From now on nothing here touches the socket.
    void letGo()
    {
        phase = Phase::Settled;
        timer.stop();
        for (const QMetaObject::Connection &connection : std::as_const(connections))
            QObject::disconnect(connection);
        connections.clear();
    }
};

} // namespace

void TlsHandshake::start(qintptr descriptor, const QSslConfiguration &config, int timeoutMs, QObject *parent,
    Encrypted encrypted, Failed failed, HandOver handOver)
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

    auto state = std::make_shared<State>();
    state->handOver = handOver;
    state->socket = socket;
    state->encrypted = std::move(encrypted);
    state->failed = std::move(failed);
    state->peer = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
    QList<QMetaObject::Connection> &connections = state->connections;

    auto fail = [state](const QString &reason) {
        if (state->phase == Phase::Settled)
            return;
        const bool ours = state->phase == Phase::Handshake;
        state->letGo();
        if (ours) {
            state->socket->abort();
            state->socket->deleteLater();
        }
        state->failed(state->peer,
            !state->sslErrors.isEmpty()   ? state->sslErrors
                : !state->alert.isEmpty() ? state->alert
                                          : reason);
    };
    // The client closed before its first bytes. After the server's half that is most likely a
    // client that checked our certificate only after its own half and refused it (Qt's clients do
    // so over TLS 1.2 and drop the connection without a word; others send a fatal alert), unless
    // it said goodbye properly, with close_notify and no alert: an HTTP client closing a
    // connection it did not need (only watched sockets get that benefit of the doubt).
    auto closed = [state, fail](const QString &reason) {
        if (state->phase == Phase::Watching && state->closeNotify && state->alert.isEmpty())
            return state->letGo();
        fail(state->serverHalfDone
                ? u"the client closed the connection after our half of the handshake, before "
                  u"sending anything (it may not trust the certificate)"_s
                : reason);
    };
    // The socket and its first bytes go to the caller, which connects its own handlers.
    auto handOverNow = [state] {
        if (state->phase != Phase::Handshake)
            return;
        state->timer.stop();
        if (state->handOver == HandOver::AtFirstBytes) {
            state->letGo();
            state->encrypted(state->socket);
            return;
        }
        state->phase = Phase::Watching;
        const bool spoken = state->socket->bytesAvailable() > 0;
        state->encrypted(state->socket);
        if (spoken)
            state->letGo();
    };

    state->timer.setSingleShot(true);
    connections.append(QObject::connect(
        &state->timer, &QTimer::timeout, socket, [fail] { fail(u"TLS handshake timed out"_s); }));
    connections.append(
        QObject::connect(socket, &QSslSocket::sslErrors, socket, [state](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &error : errors)
                texts.append(error.errorString());
            state->sslErrors = texts.join(u"; "_s);
        }));
    connections.append(QObject::connect(socket, &QSslSocket::alertReceived, socket,
        [state](QSsl::AlertLevel level, QSsl::AlertType type, const QString &description) {
            if (type == QSsl::AlertType::CloseNotify)
                state->closeNotify = true;
            else if (level == QSsl::AlertLevel::Fatal)
                state->alert = u"the client sent a fatal alert: "_s + description;
        }));
    connections.append(QObject::connect(socket, &QSslSocket::errorOccurred, socket,
        [socket, fail, closed](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::RemoteHostClosedError)
                closed(socket->errorString());
            else
                fail(socket->errorString());
        }));
    // While the socket is ours only the peer can disconnect it. Once handed over, its owner may
    // close it too (the server stopping): a peer's close always shows as errorOccurred first.
    connections.append(QObject::connect(socket, &QSslSocket::disconnected, socket, [state, closed] {
        if (state->phase == Phase::Handshake)
            closed(u"peer closed the connection during the TLS handshake"_s);
    }));
    connections.append(QObject::connect(socket, &QSslSocket::encrypted, socket, [state, socket, handOverNow] {
        state->serverHalfDone = true;
        if (state->handOver == HandOver::AtServerHalf || socket->bytesAvailable() > 0)
            handOverNow();
    }));
    connections.append(QObject::connect(socket, &QSslSocket::readyRead, socket, [state, handOverNow] {
        if (state->phase == Phase::Watching)
            state->letGo(); // it spoke: the handshake is done on both sides
        else if (state->handOver == HandOver::AtFirstBytes)
            handOverNow();
    }));
    if (timeoutMs > 0)
        state->timer.start(timeoutMs);
    socket->startServerEncryption();
}

} // namespace chattermesh::server

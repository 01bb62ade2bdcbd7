// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LoginThrottle.h"
#include "ServerContext.h"
#include "StoreTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <optional>

namespace chattermesh::server {

class ClientConnection;
class FrameDispatcher;

// Hello, Register, Login, Resume and Ping: everything that gets a connection to a session.
// Password hashing runs on the global thread pool so neither the network nor the writer thread
// ever waits for the KDF.
class SessionHandler : public QObject {
    Q_OBJECT
public:
    explicit SessionHandler(ServerContext context, QObject *parent = nullptr);

    void registerRoutes(FrameDispatcher &dispatcher);

private:
    void onHello(ClientConnection &connection, const proto::Frame &frame);
    void onRegister(ClientConnection &connection, const proto::Frame &frame);
    void onLogin(ClientConnection &connection, const proto::Frame &frame);
    void onResume(ClientConnection &connection, const proto::Frame &frame);
    void onPing(ClientConnection &connection, const proto::Frame &frame);

    void verifyLogin(QPointer<ClientConnection> connection, quint64 requestId, QByteArray password,
        QString deviceName, QString username, QString address, std::optional<Credentials> credentials);
    void createDevice(
        QPointer<ClientConnection> connection, quint64 requestId, quint64 userId, QString deviceName);
    // Answers the auth request; binds the connection to its device on success.
    void finish(QPointer<ClientConnection> connection, quint64 requestId, StoreResult<proto::Session> result,
        const QString &token);
    // False (after answering) if the continuation should not go on.
    bool stillWanted(const QPointer<ClientConnection> &connection, quint64 requestId);
    std::optional<TokenGrant> grant(QString *token) const;

    ServerContext m_context;
    LoginThrottle m_logins;
    QElapsedTimer m_clock; // monotonic, for m_logins
};

} // namespace chattermesh::server

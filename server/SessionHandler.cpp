// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionHandler.h"

#include "AssetService.h"
#include "ClientConnection.h"
#include "ConnectionRegistry.h"
#include "FrameDispatcher.h"
#include "InputRules.h"
#include "PasswordHasher.h"
#include "PresenceTracker.h"
#include "ServerConfig.h"
#include "ServerLog.h"
#include "ServerMetrics.h"
#include "Store.h"
#include "TokenFactory.h"

#include <QDateTime>
#include <QtConcurrent>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kCloseReplaced = 4000;
constexpr int kCloseProtocolError = 1002;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The auth_failures reason for a refused Login or Resume; nullptr for other errors.
const char *authFailureReason(proto::ErrorCode code)
{
    switch (code) {
    case proto::INVALID_CREDENTIALS:
        return "invalid_credentials";
    case proto::INVALID_TOKEN:
        return "invalid_token";
    case proto::TOKEN_EXPIRED:
        return "token_expired";
    default:
        return nullptr;
    }
}

} // namespace

SessionHandler::SessionHandler(ServerContext context, QObject *parent)
    : QObject(parent),
      m_context(context),
      m_logins(context.config.loginFreeAttempts, context.config.loginFreeAttemptsPerAddress,
          qint64(context.config.loginLockoutSeconds) * 1000,
          qint64(context.config.loginLockoutMaxSeconds) * 1000)
{
    m_clock.start();
}

void SessionHandler::registerRoutes(FrameDispatcher &dispatcher)
{
    using Access = FrameDispatcher::Access;
    auto bind = [this](auto method) {
        return [this, method](ClientConnection &c, const proto::Frame &f) { (this->*method)(c, f); };
    };
    dispatcher.add(proto::Frame::kHello, Access::Anytime, bind(&SessionHandler::onHello));
    dispatcher.add(proto::Frame::kPing, Access::Anytime, bind(&SessionHandler::onPing));
    dispatcher.add(proto::Frame::kRegister, Access::Unauthenticated, bind(&SessionHandler::onRegister));
    dispatcher.add(proto::Frame::kLogin, Access::Unauthenticated, bind(&SessionHandler::onLogin));
    dispatcher.add(proto::Frame::kResume, Access::Unauthenticated, bind(&SessionHandler::onResume));
}

void SessionHandler::onHello(ClientConnection &connection, const proto::Frame &frame)
{
    if (connection.phase() != ClientConnection::Phase::AwaitHello)
        return connection.sendError(frame.request_id(), proto::INVALID_ARGUMENT, u"Hello was already sent"_s);
    const auto &versions = frame.hello().protocol_versions();
    if (std::find(versions.begin(), versions.end(), proto::kProtocolVersion) == versions.end()) {
        connection.sendError(frame.request_id(), proto::UNSUPPORTED_VERSION,
            u"this server speaks protocol version %1 only"_s.arg(proto::kProtocolVersion));
        connection.close(kCloseProtocolError, u"unsupported protocol version"_s);
        return;
    }
    connection.helloDone();
    const ServerConfig &config = m_context.config;
    proto::Frame answer;
    answer.set_request_id(frame.request_id());
    proto::Welcome *welcome = answer.mutable_welcome();
    welcome->set_protocol_version(proto::kProtocolVersion);
    welcome->set_server_version("chattermesh-server " CHATTERMESH_VERSION);
    welcome->mutable_limits()->set_max_frame_bytes(quint32(config.maxFrameBytes));
    welcome->mutable_limits()->set_max_payload_bytes(quint32(config.maxPayloadBytes));
    welcome->mutable_limits()->set_sync_batch(quint32(config.syncBatch));
    welcome->mutable_limits()->set_heartbeat_seconds(quint32(config.heartbeatSeconds));
    connection.send(answer);
}

void SessionHandler::onPing(ClientConnection &connection, const proto::Frame &frame)
{
    proto::Frame answer;
    answer.set_request_id(frame.request_id());
    answer.mutable_pong()->set_time_ms(frame.ping().time_ms());
    // Lets a client notice a push lost on the way (a proxy, or --faults) without waiting for the next.
    if (connection.isLive())
        answer.mutable_pong()->set_inbox_given(connection.sentUpTo());
    connection.send(answer);
}

std::optional<TokenGrant> SessionHandler::grant(QString *token) const
{
    auto fresh = TokenFactory::newToken();
    if (!fresh)
        return std::nullopt;
    *token = *fresh;
    return TokenGrant { TokenFactory::hash(*fresh), nowMs() + m_context.config.tokenTtlSeconds * 1000 };
}

bool SessionHandler::stillWanted(const QPointer<ClientConnection> &connection, quint64 requestId)
{
    if (!connection || connection->isClosing())
        return false;
    if (m_context.draining) {
        connection->setAuthInFlight(false);
        connection->sendError(requestId, proto::SERVER_SHUTTING_DOWN, u"server shutting down"_s);
        return false;
    }
    return true;
}

void SessionHandler::onRegister(ClientConnection &connection, const proto::Frame &frame)
{
    const proto::Register &request = frame.register_();
    const quint64 requestId = frame.request_id();
    const QString deviceName = QString::fromStdString(request.device_name());
    if (!InputRules::validUsername(request.username()))
        return connection.sendError(
            requestId, proto::INVALID_ARGUMENT, u"username must be 3-32 of [a-z0-9_.-]"_s);
    if (!InputRules::validPassword(request.password()))
        return connection.sendError(requestId, proto::INVALID_ARGUMENT, u"password must be 8-1024 bytes"_s);
    if (!InputRules::validDeviceName(deviceName))
        return connection.sendError(
            requestId, proto::INVALID_ARGUMENT, u"device name must be 1-64 characters"_s);

    connection.setAuthInFlight(true);
    QPointer<ClientConnection> guard(&connection);
    const QString username = QString::fromStdString(request.username());
    const QByteArray password = QByteArray::fromStdString(request.password());
    const int iterations = m_context.config.kdfIterations;
    QtConcurrent::run([password, iterations] { return PasswordHasher::hash(password, iterations); })
        .then(this,
            [this, guard, requestId, username, deviceName](std::optional<PasswordHasher::Hashed> hashed) {
                if (!stillWanted(guard, requestId))
                    return;
                QString token;
                const auto tokenGrant = grant(&token);
                if (!hashed || !tokenGrant)
                    return finish(guard, requestId,
                        Failure<proto::ErrorCode> { proto::INTERNAL, u"random failure"_s }, {});
                NewAccount account { username, hashed->salt, hashed->hash, hashed->iterations, deviceName,
                    *tokenGrant, nowMs() };
                m_context.store.submit([account = std::move(account)](
                                           StoreBackend &backend) { return backend.createAccount(account); },
                    [this, guard, requestId, token](StoreResult<proto::Session> result) {
                        finish(guard, requestId, std::move(result), token);
                    });
            });
}

void SessionHandler::onLogin(ClientConnection &connection, const proto::Frame &frame)
{
    const proto::Login &request = frame.login();
    const quint64 requestId = frame.request_id();
    const QString deviceName = QString::fromStdString(request.device_name());
    // Bounded so nobody can make the KDF hash megabytes; shorter passwords just fail to verify.
    if (request.password().size() > size_t(InputRules::kPasswordMaxBytes))
        return connection.sendError(requestId, proto::INVALID_ARGUMENT, u"password must be 8-1024 bytes"_s);
    if (!InputRules::validDeviceName(deviceName))
        return connection.sendError(
            requestId, proto::INVALID_ARGUMENT, u"device name must be 1-64 characters"_s);

    const QString username = QString::fromStdString(request.username());
    const QString address = connection.peerAddress();
    // Before the password is looked at: during a lockout even the right one is refused. Admitted,
    // the attempt holds its place in both budgets until its check ends (settled in verifyLogin), so
    // Logins sent in parallel on many connections get no more guesses than one after another.
    if (const qint64 waitMs = m_logins.reserve(username, address, m_clock.elapsed())) {
        qCInfo(lcServer) << "conn" << connection.id() << "login refused: too many attempts, retry in"
                         << waitMs << "ms";
        m_context.metrics.authFailed("ws", "too_many_attempts");
        proto::Frame error = proto::errorFrame(
            requestId, proto::TOO_MANY_ATTEMPTS, u"too many failed logins; try again later"_s);
        error.mutable_error()->set_retry_after_ms(quint32(std::min<qint64>(waitMs, UINT32_MAX)));
        return connection.send(error);
    }
    connection.setAuthInFlight(true);
    QPointer<ClientConnection> guard(&connection);
    const QByteArray password = QByteArray::fromStdString(request.password());
    m_context.store.submit([username](StoreBackend &backend) { return backend.credentials(username); },
        [this, guard, requestId, password, deviceName, username, address](
            StoreResult<std::optional<Credentials>> found) {
            if (!found.ok()) {
                m_logins.released(username, address); // nothing was checked
                return finish(guard, requestId, found.error(), {});
            }
            verifyLogin(guard, requestId, password, deviceName, username, address, found.value());
        });
}

void SessionHandler::verifyLogin(QPointer<ClientConnection> connection, quint64 requestId,
    QByteArray password, QString deviceName, QString username, QString address,
    std::optional<Credentials> credentials)
{
    if (!stillWanted(connection, requestId)) {
        m_logins.released(username, address); // gone (or draining) before the password was checked
        return;
    }
    const int dummyIterations = m_context.config.kdfIterations;
    // Unknown users cost one KDF too, so the answer time does not reveal which usernames exist.
    QtConcurrent::run([password, credentials, dummyIterations] {
        if (!credentials)
            return PasswordHasher::verifyDummy(password, dummyIterations);
        return PasswordHasher::verify(
            password, credentials->salt, credentials->passwordHash, credentials->iterations);
    }).then(this, [this, connection, requestId, deviceName, username, address, credentials](bool ok) {
        // Counted even if the connection went away meanwhile: closing does not undo a guess.
        if (!ok || !credentials)
            m_logins.failed(username, address, m_clock.elapsed());
        else
            m_logins.succeeded(username, address);
        if (!stillWanted(connection, requestId))
            return;
        if (!ok || !credentials) {
            qCInfo(lcServer) << "conn" << connection->id() << "login refused";
            return finish(connection, requestId,
                Failure<proto::ErrorCode> { proto::INVALID_CREDENTIALS, u"invalid credentials"_s }, {});
        }
        createDevice(connection, requestId, credentials->userId, deviceName);
    });
}

void SessionHandler::createDevice(
    QPointer<ClientConnection> connection, quint64 requestId, quint64 userId, QString deviceName)
{
    QString token;
    const auto tokenGrant = grant(&token);
    if (!tokenGrant)
        return finish(
            connection, requestId, Failure<proto::ErrorCode> { proto::INTERNAL, u"random failure"_s }, {});
    NewDevice device { userId, deviceName, *tokenGrant, nowMs() };
    m_context.store.submit(
        [device = std::move(device)](StoreBackend &backend) { return backend.addDevice(device); },
        [this, connection, requestId, token](
            StoreResult<proto::Session> result) { finish(connection, requestId, std::move(result), token); });
}

void SessionHandler::onResume(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const QString token = QString::fromStdString(frame.resume().token());
    if (token.isEmpty()) {
        m_context.metrics.authFailed("ws", authFailureReason(proto::INVALID_TOKEN));
        return connection.sendError(requestId, proto::INVALID_TOKEN, u"invalid token"_s);
    }
    connection.setAuthInFlight(true);
    QPointer<ClientConnection> guard(&connection);
    const QByteArray hash = TokenFactory::hash(token);
    const qint64 now = nowMs();
    m_context.store.submit([hash, now](StoreBackend &backend) { return backend.resume(hash, now); },
        [this, guard, requestId](
            StoreResult<proto::Session> result) { finish(guard, requestId, std::move(result), {}); });
}

void SessionHandler::finish(QPointer<ClientConnection> connection, quint64 requestId,
    StoreResult<proto::Session> result, const QString &token)
{
    if (!result.ok()) {
        if (const char *reason = authFailureReason(result.error().code))
            m_context.metrics.authFailed("ws", reason);
    }
    if (!connection || connection->isClosing())
        return;
    connection->setAuthInFlight(false);
    if (!result.ok())
        return connection->sendError(requestId, result.error().code, result.error().message);
    proto::Session session = std::move(result).value();
    session.set_token(token.toStdString());
    session.set_asset_port(m_context.assets.port());
    connection->authenticate(
        session.user_id(), session.device_id(), QString::fromStdString(session.username()));
    qCInfo(lcServer).nospace() << "conn " << connection->id() << " authenticated as device "
                               << session.device_id() << " of user " << session.user_id();
    if (ClientConnection *older = m_context.registry.bindDevice(connection))
        older->close(kCloseReplaced, u"replaced by a newer connection"_s);
    proto::Frame answer;
    answer.set_request_id(requestId);
    *answer.mutable_session() = std::move(session);
    connection->send(answer);
    m_context.presence.authenticated(*connection);
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "RawClient.h"

#include "FrameBuilder.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>
#include <limits>

using namespace Qt::StringLiterals;

namespace chattermesh::test {

RawClient::RawClient() : m_socket(std::make_unique<QWebSocket>())
{
    // The server's limits are what is under test, so the client never refuses what it receives.
    m_socket->setMaxAllowedIncomingMessageSize(std::numeric_limits<qint32>::max());
    m_socket->setMaxAllowedIncomingFrameSize(std::numeric_limits<qint32>::max());
    QObject::connect(
        m_socket.get(), &QWebSocket::binaryMessageReceived, m_socket.get(), [this](const QByteArray &bytes) {
            proto::Frame frame;
            if (frame.ParseFromArray(bytes.constData(), int(bytes.size())))
                m_received.push_back(std::move(frame));
            else
                qWarning("RawClient: the server sent a frame that does not parse");
            if (m_waiting)
                m_waiting->quit();
        });
    auto wake = [this] {
        if (m_waiting)
            m_waiting->quit();
    };
    QObject::connect(m_socket.get(), &QWebSocket::connected, m_socket.get(), wake);
    QObject::connect(m_socket.get(), &QWebSocket::disconnected, m_socket.get(), [this, wake] {
        m_disconnected = true;
        wake();
    });
    // Qt 6.4 calls the signal error(); errorOccurred() only arrives in 6.5.
    QObject::connect(m_socket.get(), qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
        m_socket.get(), [wake](QAbstractSocket::SocketError) { wake(); });
}

RawClient::~RawClient()
{
    m_socket->abort();
}

template<typename Predicate> bool RawClient::waitUntil(Predicate done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(int(deadline.remainingTime()));
        m_waiting = &loop;
        loop.exec();
        m_waiting = nullptr;
    }
    return true;
}

bool RawClient::open(const QUrl &url, int timeoutMs)
{
    m_disconnected = false;
    m_socket->open(url);
    return waitUntil(
               [this] {
                   return m_socket->state() == QAbstractSocket::ConnectedState || m_disconnected
                       || m_socket->state() == QAbstractSocket::UnconnectedState;
               },
               timeoutMs)
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

void RawClient::sendBytes(const QByteArray &bytes)
{
    m_socket->sendBinaryMessage(bytes);
}

void RawClient::sendText(const QString &text)
{
    m_socket->sendTextMessage(text);
}

quint64 RawClient::send(proto::Frame frame)
{
    if (frame.request_id() == 0)
        frame.set_request_id(m_nextRequestId++);
    sendBytes(proto::encodeFrame(frame));
    return frame.request_id();
}

std::optional<proto::Frame> RawClient::next(int timeoutMs)
{
    if (!waitUntil([this] { return !m_received.empty() || m_disconnected; }, timeoutMs) || m_received.empty())
        return std::nullopt;
    proto::Frame frame = std::move(m_received.front());
    m_received.pop_front();
    return frame;
}

std::optional<proto::Frame> RawClient::request(proto::Frame frame, int timeoutMs)
{
    const quint64 id = send(std::move(frame));
    auto answer = m_received.end();
    auto find = [&] {
        for (answer = m_received.begin(); answer != m_received.end(); ++answer) {
            if (answer->request_id() == id)
                return true;
        }
        return m_disconnected;
    };
    if (!waitUntil(find, timeoutMs) || answer == m_received.end())
        return std::nullopt;
    proto::Frame result = std::move(*answer);
    m_received.erase(answer);
    return result;
}

bool RawClient::waitClosed(int timeoutMs)
{
    return waitUntil(
        [this] { return m_disconnected || m_socket->state() == QAbstractSocket::UnconnectedState; },
        timeoutMs);
}

bool RawClient::close(int timeoutMs)
{
    m_socket->close();
    return waitClosed(timeoutMs);
}

int RawClient::closeCode() const
{
    return int(m_socket->closeCode());
}

QString RawClient::closeReason() const
{
    return m_socket->closeReason();
}

bool RawClient::isOpen() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

bool RawClient::hello()
{
    m_lastAnswer = request(FrameBuilder::hello());
    return m_lastAnswer && m_lastAnswer->has_welcome();
}

std::optional<proto::Session> RawClient::sessionRequest(proto::Frame frame)
{
    m_lastAnswer = request(std::move(frame));
    if (!m_lastAnswer || !m_lastAnswer->has_session())
        return std::nullopt;
    return m_lastAnswer->session();
}

std::optional<proto::Session> RawClient::registerUser(
    const QString &user, const QString &password, const QString &device)
{
    return sessionRequest(FrameBuilder::registerUser(user, password, device));
}

std::optional<proto::Session> RawClient::login(
    const QString &user, const QString &password, const QString &device)
{
    proto::Frame frame;
    frame.mutable_login()->set_username(user.toStdString());
    frame.mutable_login()->set_password(password.toStdString());
    frame.mutable_login()->set_device_name(device.toStdString());
    return sessionRequest(std::move(frame));
}

std::optional<proto::Session> RawClient::resume(const QString &token)
{
    proto::Frame frame;
    frame.mutable_resume()->set_token(token.toStdString());
    return sessionRequest(std::move(frame));
}

QByteArray randomMsgId()
{
    QByteArray id(proto::kClientMsgIdBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(
        reinterpret_cast<quint32 *>(id.data()), id.size() / int(sizeof(quint32)));
    return id;
}

} // namespace chattermesh::test

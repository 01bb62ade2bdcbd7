// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoadClient.h"

#include <utility>

namespace chattermesh::bench {

using namespace chattermesh::proto;

LoadClient::LoadClient(QUrl url, QString username, QObject *parent)
    : QObject(parent), m_url(std::move(url)), m_username(std::move(username))
{
    m_ackTimer.setSingleShot(true);
    m_ackTimer.setInterval(0);
    connect(&m_ackTimer, &QTimer::timeout, this, &LoadClient::flushAck);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &LoadClient::onFrame);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        Frame hello;
        hello.mutable_hello()->add_protocol_versions(kProtocolVersion);
        hello.mutable_hello()->set_client("chattermesh-loadgen");
        request(std::move(hello));
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_live = false;
        if (std::exchange(m_closing, false))
            return Q_EMIT closedOnPurpose();
        Q_EMIT failed(QStringLiteral("disconnected: %1").arg(m_socket.closeReason()));
    });
}

void LoadClient::disconnectOnPurpose()
{
    m_closing = true;
    m_socket.close();
}

void LoadClient::reconnect()
{
    m_socket.open(m_url);
}

void LoadClient::start()
{
    m_socket.open(m_url);
}

void LoadClient::request(Frame f)
{
    f.set_request_id(m_nextRequest++);
    m_socket.sendBinaryMessage(encodeFrame(f));
}

void LoadClient::send(const QString &peer, const QByteArray &clientMsgId, const QByteArray &payload)
{
    Frame f;
    auto *s = f.mutable_send();
    s->set_client_msg_id(clientMsgId.toStdString());
    s->set_peer_username(peer.toStdString());
    s->set_payload(payload.toStdString());
    ++m_inFlight;
    request(std::move(f));
}

void LoadClient::sendToConversation(
    quint64 conversationId, const QByteArray &clientMsgId, const QByteArray &payload)
{
    Frame f;
    auto *s = f.mutable_send();
    s->set_client_msg_id(clientMsgId.toStdString());
    s->set_conversation_id(conversationId);
    s->set_payload(payload.toStdString());
    ++m_inFlight;
    request(std::move(f));
}

void LoadClient::flushAck()
{
    if (m_received == m_ackedUpTo)
        return;
    m_ackedUpTo = m_received;
    Frame f;
    f.mutable_delivery_ack()->set_up_to_inbox_seq(m_received);
    m_socket.sendBinaryMessage(encodeFrame(f));
}

void LoadClient::onFrame(const QByteArray &bytes)
{
    auto decoded = decodeFrame(bytes, 1 << 24);
    if (!decoded)
        return Q_EMIT failed(decoded.error().message);
    const Frame &f = decoded.value();
    switch (f.body_case()) {
    case Frame::kWelcome: {
        if (!m_token.empty()) {
            Frame resume;
            resume.mutable_resume()->set_token(m_token);
            request(std::move(resume));
            break;
        }
        Frame reg;
        reg.mutable_register_()->set_username(m_username.toStdString());
        reg.mutable_register_()->set_password("loadgen password");
        reg.mutable_register_()->set_device_name("loadgen");
        request(std::move(reg));
        break;
    }
    case Frame::kSession: {
        if (!f.session().token().empty())
            m_token = f.session().token();
        Frame sync;
        sync.mutable_sync()->set_after_inbox_seq(m_received);
        request(std::move(sync));
        break;
    }
    case Frame::kSyncBatch:
        for (const auto &e : f.sync_batch().entries()) {
            m_received = e.inbox_seq();
            if (e.has_message())
                Q_EMIT delivered(e.message());
        }
        flushAck();
        if (f.sync_batch().more()) {
            Frame sync;
            sync.mutable_sync()->set_after_inbox_seq(m_received);
            request(std::move(sync));
        } else if (!m_live) {
            m_live = true;
            Q_EMIT live();
        }
        break;
    case Frame::kDeliver: {
        const auto &e = f.deliver().entry();
        if (e.inbox_seq() != m_received + 1)
            return Q_EMIT failed(QStringLiteral("inbox gap at %1").arg(e.inbox_seq()));
        m_received = e.inbox_seq();
        if (e.has_message())
            Q_EMIT delivered(e.message());
        m_ackTimer.start();
        break;
    }
    case Frame::kAck:
        if (f.ack().client_msg_id().empty())
            return Q_EMIT answered(f);
        --m_inFlight;
        Q_EMIT acked(QByteArray::fromStdString(f.ack().client_msg_id()), f.ack().duplicate());
        break;
    case Frame::kTyping:
    case Frame::kPresence:
        Q_EMIT pushed(f);
        break;
    case Frame::kError:
        Q_EMIT failed(QString::fromStdString(f.error().message()));
        break;
    default:
        break;
    }
}

} // namespace chattermesh::bench

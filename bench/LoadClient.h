// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace chattermesh::bench {

// A light protocol client for load: registers, catches up, then sends and receives as fast as it
// is asked, acking deliveries cumulatively once per event-loop pass (as the real engine does).
class LoadClient : public QObject {
    Q_OBJECT
public:
    LoadClient(QUrl url, QString username, QObject *parent = nullptr);

    void start(); // open, Hello, Register, Sync until live
    // Closes the socket on purpose (no failed()); reconnect() then resumes the session by token and
    // syncs until live again, as a phone coming back from the background does.
    void disconnectOnPurpose();
    void reconnect();
    bool isLive() const { return m_live; }
    QString username() const { return m_username; }
    void send(const QString &peer, const QByteArray &clientMsgId, const QByteArray &payload);
    void sendToConversation(quint64 conversationId, const QByteArray &clientMsgId, const QByteArray &payload);
    // Any other request (CreateGroup, Typing...); its answer comes back through answered().
    void requestFrame(proto::Frame frame) { request(std::move(frame)); }
    qint64 inFlight() const { return m_inFlight; }

Q_SIGNALS:
    void live();
    void acked(const QByteArray &clientMsgId, bool duplicate);
    void answered(const chattermesh::proto::Frame &frame); // an Ack without client_msg_id (a group change)
    void delivered(const chattermesh::proto::Message &message);
    void pushed(const chattermesh::proto::Frame &frame); // a Typing or Presence push
    void closedOnPurpose();
    void failed(const QString &why);

private:
    void onFrame(const QByteArray &bytes);
    void request(proto::Frame f);
    void flushAck();

    QUrl m_url;
    QString m_username;
    QWebSocket m_socket;
    quint64 m_nextRequest = 1;
    quint64 m_received = 0;
    quint64 m_ackedUpTo = 0;
    qint64 m_inFlight = 0;
    bool m_live = false;
    bool m_closing = false;
    std::string m_token; // from the answer to Register, for Resume
    QTimer m_ackTimer;
};

} // namespace chattermesh::bench

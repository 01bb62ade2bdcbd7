// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"

#include <QByteArray>
#include <QString>
#include <QUrl>
#include <deque>
#include <memory>
#include <optional>

class QEventLoop;
class QWebSocket;

namespace chattermesh::test {

// A blocking protocol client for tests: each call spins the event loop until what it waits for
// arrives, bounded by a timeout. Frames that arrive while waiting for something else are queued
// in order for next().
class RawClient {
public:
    RawClient();
    ~RawClient();

    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool open(const QUrl &url, int timeoutMs = 10000); // waits for the handshake
    void sendBytes(const QByteArray &bytes); // one raw binary message
    void sendText(const QString &text);
    quint64 send(proto::Frame frame); // gives it a fresh request_id if it has none; returns the id

    std::optional<proto::Frame> next(int timeoutMs = 10000);
    // Sends and waits for the frame answering it (same request_id); other frames stay queued.
    std::optional<proto::Frame> request(proto::Frame frame, int timeoutMs = 10000);

    bool waitClosed(int timeoutMs = 10000);
    // A clean close (1000) from this side; waits until the socket is closed.
    bool close(int timeoutMs = 10000);
    int closeCode() const;
    QString closeReason() const;
    bool isOpen() const;

    // Helpers for the usual steps; on refusal they return false/nullopt and lastAnswer() holds
    // the Error (or nothing if no answer came).
    bool hello();
    std::optional<proto::Session> registerUser(
        const QString &user, const QString &password, const QString &device);
    std::optional<proto::Session> login(const QString &user, const QString &password, const QString &device);
    std::optional<proto::Session> resume(const QString &token);
    const std::optional<proto::Frame> &lastAnswer() const { return m_lastAnswer; }

private:
    template<typename Predicate> bool waitUntil(Predicate done, int timeoutMs);
    std::optional<proto::Session> sessionRequest(proto::Frame frame);

    std::unique_ptr<QWebSocket> m_socket;
    std::deque<proto::Frame> m_received;
    std::optional<proto::Frame> m_lastAnswer;
    QEventLoop *m_waiting = nullptr;
    quint64 m_nextRequestId = 1;
    bool m_disconnected = false;
};

QByteArray randomMsgId(); // 16 random bytes

} // namespace chattermesh::test

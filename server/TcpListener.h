// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTcpServer>
#include <functional>

namespace chattermesh::server {

// Accepts TCP connections on the thread that owns it and hands each descriptor on untouched, so
// the socket object is made on the network thread that will serve it (a QTcpSocket accepted here
// and moved to another thread does not work with QtWebSockets: docs/architecture.md, *Threads*).
class TcpListener : public QTcpServer {
    Q_OBJECT
public:
    explicit TcpListener(std::function<void(qintptr)> onAccepted, QObject *parent = nullptr)
        : QTcpServer(parent), m_onAccepted(std::move(onAccepted))
    { }

protected:
    void incomingConnection(qintptr descriptor) override { m_onAccepted(descriptor); }

private:
    std::function<void(qintptr)> m_onAccepted;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

namespace chattermesh::test {

// A TCP relay between clients and the real server that cuts each connection after a random
// number of bytes (seeded, so a failing run can be replayed): drops land at every point of the
// protocol — mid-handshake, mid-frame, between a send and its ack. Disabled, it is a plain relay
// (tst_Tls puts the server on another loopback address behind one, TLS passing through untouched).
class ChaosProxy {
public:
    ChaosProxy(quint16 upstreamPort, quint32 seed, int minBytes, int maxBytes,
        const QHostAddress &upstreamAddress = QHostAddress(QHostAddress::LocalHost))
        : m_upstreamAddress(upstreamAddress),
          m_upstream(upstreamPort),
          m_rng(seed),
          m_min(minBytes),
          m_max(maxBytes)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int drops() const { return m_drops; }
    void setEnabled(bool on) { m_enabled = on; }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            auto *up = new QTcpSocket(client);
            auto budget = std::make_shared<qint64>(m_rng.bounded(m_min, m_max));
            auto pump = [this, client, up, budget](QTcpSocket *from, QTcpSocket *to) {
                const QByteArray bytes = from->readAll();
                if (bytes.isEmpty())
                    return;
                *budget -= bytes.size();
                if (!m_enabled || *budget > 0) {
                    to->write(bytes);
                    return;
                }
                ++m_drops;
                to->write(bytes.left(bytes.size() / 2)); // part of a frame, then nothing
                to->flush();
                up->abort();
                client->abort();
            };
            QObject::connect(client, &QTcpSocket::readyRead, client, [=] {
                if (up->state() == QAbstractSocket::ConnectedState)
                    pump(client, up);
            });
            QObject::connect(up, &QTcpSocket::connected, client, [=] { pump(client, up); });
            QObject::connect(up, &QTcpSocket::readyRead, client, [=] { pump(up, client); });
            QObject::connect(client, &QTcpSocket::disconnected, client, [client, up] {
                up->abort();
                client->deleteLater();
            });
            QObject::connect(up, &QTcpSocket::disconnected, client, [client] { client->abort(); });
            up->connectToHost(m_upstreamAddress, m_upstream);
        }
    }

    QTcpServer m_server;
    QHostAddress m_upstreamAddress;
    quint16 m_upstream;
    QRandomGenerator m_rng;
    int m_min;
    int m_max;
    int m_drops = 0;
    bool m_enabled = true;
};

} // namespace chattermesh::test

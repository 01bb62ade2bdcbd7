// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConnectionFleet.h"

namespace chattermesh::bench {

ConnectionFleet::ConnectionFleet(QUrl url, QString namePrefix, int clients, int maxOpening, QObject *parent)
    : QObject(parent),
      m_url(std::move(url)),
      m_prefix(std::move(namePrefix)),
      m_count(clients),
      m_maxOpening(std::max(1, maxOpening))
{ }

void ConnectionFleet::connectAll()
{
    for (int i = 0; i < m_count; ++i) {
        auto *c = new LoadClient(m_url, m_prefix + QString::number(i), this);
        m_clients.push_back(c);
        connect(c, &LoadClient::live, this, [this] {
            live.fetch_add(1, std::memory_order_relaxed);
            openNext();
        });
        connect(c, &LoadClient::closedOnPurpose, this, [this] {
            live.fetch_sub(1, std::memory_order_relaxed);
            closed.fetch_add(1, std::memory_order_relaxed);
        });
        connect(c, &LoadClient::failed, this, [this](const QString &why) {
            if (failures.fetch_add(1, std::memory_order_relaxed) == 0)
                Q_EMIT failed(why);
        });
    }
    // A bounded number of handshakes at a time: the point is the idle cost, not the listen backlog.
    for (int i = 0; i < m_maxOpening; ++i)
        openNext();
}

void ConnectionFleet::openNext()
{
    if (m_opened < m_count)
        m_clients[size_t(m_opened++)]->start();
}

void ConnectionFleet::disconnectSome(int n)
{
    closed = 0;
    m_dropped = std::min(n, int(m_clients.size()));
    for (int i = 0; i < m_dropped; ++i)
        m_clients[size_t(i)]->disconnectOnPurpose();
}

void ConnectionFleet::reconnectDropped()
{
    for (int i = 0; i < m_dropped; ++i)
        m_clients[size_t(i)]->reconnect();
}

} // namespace chattermesh::bench

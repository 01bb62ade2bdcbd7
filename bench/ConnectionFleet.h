// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LoadClient.h"

#include <QObject>
#include <atomic>
#include <vector>

namespace chattermesh::bench {

// Many light clients that register, go live and then sit idle, on one thread of their own so
// several fleets spread the client side over threads (one event loop polling 20,000 sockets is slow).
// Counters are atomics: the measuring thread reads them while the fleet runs. Its slots are called
// through the event queue.
class ConnectionFleet : public QObject {
    Q_OBJECT
public:
    ConnectionFleet(QUrl url, QString namePrefix, int clients, int maxOpening, QObject *parent = nullptr);

    std::atomic<int> live { 0 }; // clients live (authenticated and caught up) now
    std::atomic<int> closed { 0 }; // clients closed on purpose (disconnectAll)
    std::atomic<int> failures { 0 };

    // Opens every client, at most maxOpening at a time, each registering a new user.
    void connectAll();
    // Closes the first n clients; closed counts them.
    void disconnectSome(int n);
    // Reopens those at once; each resumes its session with its token.
    void reconnectDropped();

Q_SIGNALS:
    void failed(const QString &why);

private:
    void openNext();

    QUrl m_url;
    QString m_prefix;
    int m_count;
    int m_maxOpening;
    int m_opened = 0;
    int m_dropped = 0;
    std::vector<LoadClient *> m_clients;
};

} // namespace chattermesh::bench

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LoadClient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <atomic>
#include <queue>
#include <vector>

namespace chattermesh::bench {

// Many light clients in groups that type and come and go like people do: each sends Typing for its
// group every refresh interval (staggered at random so the load is smooth), now and then a stop,
// and some disconnect and resume every second so presence pushes flow. Every client reads its
// socket and the pushes it gets are counted. Lives on its own thread: counters are atomics so the
// measuring thread can read them while the fleet runs.
class TypingFleet : public QObject {
    Q_OBJECT
public:
    struct Options {
        QUrl url;
        int users = 1000;
        int groupSize = 1000;
        double churnPerSecond = 5;
        int refreshMs = 3000; // the client's typing refresh interval (issue 4)
        double stopShare = 0.1; // share of refreshes that are a stop instead (sent, cleared)
        QString nonce;
        int nice = 0; // of the fleet's thread: >0 lets the server and the measured pair go first
    };

    explicit TypingFleet(Options options, QObject *parent = nullptr);

    std::atomic<qint64> typingSent { 0 };
    std::atomic<qint64> typingPushes { 0 };
    std::atomic<qint64> presencePushes { 0 };
    std::atomic<qint64> reconnects { 0 };
    std::atomic<qint64> threadId { 0 };

    // Slots called through the event queue from the measuring thread.
    void start(); // register everyone, go live, create the groups; then ready()
    void startLoad();
    void stopLoad();

Q_SIGNALS:
    void ready(int groups);
    void failed(const QString &why);

private:
    struct Due {
        qint64 atMs;
        int client;
        bool operator>(const Due &o) const { return atMs > o.atMs; }
    };

    void createGroups();
    void tick();
    void churnOne();

    Options m_options;
    std::vector<LoadClient *> m_clients;
    std::vector<quint64> m_groupOf; // client index → conversation id
    int m_live = 0;
    int m_groupsCreated = 0;
    int m_eventsSeen = 0;
    int m_eventsExpected = 0;
    bool m_loaded = false;
    QElapsedTimer m_clock;
    QTimer m_tick; // children (parent this), so they move to the fleet's thread with it
    QTimer m_churn;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_schedule;
    QRandomGenerator m_random;
};

} // namespace chattermesh::bench

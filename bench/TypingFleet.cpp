// SPDX-License-Identifier: GPL-3.0-or-later
#include "TypingFleet.h"

#include <sys/resource.h>
#include <unistd.h>

namespace chattermesh::bench {

TypingFleet::TypingFleet(Options options, QObject *parent)
    : QObject(parent),
      m_options(std::move(options)),
      m_tick(this),
      m_churn(this),
      m_random(QRandomGenerator::securelySeeded())
{
    // A 5 ms tick sends whatever refreshes are due: smooth enough, and no timer per client.
    m_tick.setTimerType(Qt::PreciseTimer);
    m_tick.setInterval(5);
    connect(&m_tick, &QTimer::timeout, this, &TypingFleet::tick);
    connect(&m_churn, &QTimer::timeout, this, &TypingFleet::churnOne);
}

void TypingFleet::start()
{
    threadId = qint64(gettid());
    // The 1,000 clients stand in for 1,000 devices elsewhere; on a shared 2-core machine a lower
    // priority keeps their reading from taking turns away from the server and the measured pair.
    if (m_options.nice > 0)
        setpriority(PRIO_PROCESS, id_t(gettid()), m_options.nice);
    m_clock.start();
    const int users = m_options.users;
    m_groupOf.assign(size_t(users), 0);
    for (int i = 0; i < users; ++i) {
        auto *c = new LoadClient(m_options.url, QStringLiteral("t%1x%2").arg(i).arg(m_options.nonce), this);
        m_clients.push_back(c);
        connect(c, &LoadClient::live, this, [this] {
            if (++m_live == m_options.users)
                createGroups();
        });
        connect(c, &LoadClient::failed, this, &TypingFleet::failed);
        connect(c, &LoadClient::pushed, this, [this](const proto::Frame &f) {
            if (f.has_typing())
                typingPushes.fetch_add(1, std::memory_order_relaxed);
            else
                presencePushes.fetch_add(1, std::memory_order_relaxed);
        });
        connect(c, &LoadClient::closedOnPurpose, this, [this, c] {
            reconnects.fetch_add(1, std::memory_order_relaxed);
            c->reconnect();
        });
        c->start();
    }
}

void TypingFleet::createGroups()
{
    const int size = std::max(2, m_options.groupSize);
    for (int first = 0; first < m_options.users; first += size) {
        const int last = std::min(m_options.users, first + size); // exclusive
        if (last - first < 2)
            break; // a lone leftover client stays out of the groups
        LoadClient *creator = m_clients[size_t(first)];
        proto::Frame create;
        create.mutable_create_group()->set_title("typing bench");
        for (int i = first + 1; i < last; ++i) {
            create.mutable_create_group()->add_members(m_clients[size_t(i)]->username().toStdString());
            connect(m_clients[size_t(i)], &LoadClient::delivered, this, [this](const proto::Message &m) {
                if (m.has_event())
                    ++m_eventsSeen;
            });
        }
        m_eventsExpected += last - first - 1;
        connect(creator, &LoadClient::answered, this, [this, first, last](const proto::Frame &f) {
            for (int i = first; i < last; ++i)
                m_groupOf[size_t(i)] = f.ack().conversation_id();
            ++m_groupsCreated;
        });
        creator->requestFrame(std::move(create));
    }
    // Ready once every group is acknowledged and every member has its creation event, so the load
    // phase does not overlap the groups' setup.
    auto *poll = new QTimer(this);
    poll->start(20);
    const int groups = (m_options.users + size - 1) / size;
    connect(poll, &QTimer::timeout, this, [this, poll, groups, size] {
        const int expectedGroups = m_options.users % size == 1 ? groups - 1 : groups;
        if (m_groupsCreated == expectedGroups && m_eventsSeen == m_eventsExpected) {
            poll->deleteLater();
            Q_EMIT ready(expectedGroups);
        }
    });
}

void TypingFleet::startLoad()
{
    m_loaded = true;
    const qint64 now = m_clock.elapsed();
    m_schedule = {};
    for (int i = 0; i < int(m_clients.size()); ++i)
        if (m_groupOf[size_t(i)])
            m_schedule.push({ now + qint64(m_random.bounded(m_options.refreshMs)), i });
    m_tick.start();
    if (m_options.churnPerSecond > 0) {
        m_churn.setInterval(std::max(1, int(1000.0 / m_options.churnPerSecond)));
        m_churn.start();
    }
}

void TypingFleet::stopLoad()
{
    m_loaded = false;
    m_tick.stop();
    m_churn.stop();
}

void TypingFleet::tick()
{
    const qint64 now = m_clock.elapsed();
    while (!m_schedule.empty() && m_schedule.top().atMs <= now) {
        Due due = m_schedule.top();
        m_schedule.pop();
        LoadClient *c = m_clients[size_t(due.client)];
        if (c->isLive()) {
            proto::Frame typing;
            typing.mutable_typing()->set_conversation_id(m_groupOf[size_t(due.client)]);
            typing.mutable_typing()->set_typing(m_random.generateDouble() >= m_options.stopShare);
            c->requestFrame(std::move(typing));
            typingSent.fetch_add(1, std::memory_order_relaxed);
        }
        due.atMs += m_options.refreshMs;
        m_schedule.push(due);
    }
}

void TypingFleet::churnOne()
{
    // A few tries to find a live one; a client still reconnecting is not closed again.
    for (int attempt = 0; attempt < 8; ++attempt) {
        LoadClient *c = m_clients[size_t(m_random.bounded(int(m_clients.size())))];
        if (c->isLive()) {
            c->disconnectOnPurpose();
            return;
        }
    }
}

} // namespace chattermesh::bench

// SPDX-License-Identifier: GPL-3.0-or-later
#include "PushFanout.h"

#include "ClientConnection.h"
#include "ConnectionRegistry.h"

#include <QTimer>

namespace chattermesh::server {

PushFanout::PushFanout(ConnectionRegistry &registry, QObject *parent) : QObject(parent), m_registry(registry)
{ }

void PushFanout::push(const proto::Frame &frame, std::vector<quint64> users)
{
    if (users.empty())
        return;
    m_jobs.push_back({ proto::encodeFrame(frame), int(frame.body_case()), std::move(users), 0 });
    if (!m_scheduled) {
        m_scheduled = true;
        QTimer::singleShot(0, this, &PushFanout::drain);
    }
}

void PushFanout::drain()
{
    m_scheduled = false;
    int writes = 0;
    while (!m_jobs.empty() && writes < kSlice) {
        Job &job = m_jobs.front();
        while (job.next < job.users.size() && writes < kSlice) {
            for (ClientConnection *live : m_registry.forUser(job.users[job.next])) {
                live->sendEncoded(job.bytes, job.bodyCase);
                ++writes;
            }
            ++job.next;
        }
        if (job.next == job.users.size())
            m_jobs.pop_front();
    }
    if (!m_jobs.empty()) {
        m_scheduled = true;
        QTimer::singleShot(0, this, &PushFanout::drain);
    }
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"

#include <QByteArray>
#include <QObject>
#include <deque>
#include <vector>

namespace chattermesh::server {

class ConnectionRegistry;

// Ephemeral pushes (typing, presence) to many users: encoded once, then written a slice of
// connections per event-loop turn. A typing start in a 1,000-member group is 999 socket writes
// (about 4 ms); in one piece it would hold every message behind it that long, in slices a message
// waits for one slice at most. Jobs run in order, so each recipient still sees a user's typing and
// presence changes in the order they happened. Recipients are looked up when their slice runs: a
// connection that closed meanwhile is simply skipped.
class PushFanout : public QObject {
    Q_OBJECT
public:
    static constexpr int kSlice = 8; // socket writes per event-loop turn

    explicit PushFanout(ConnectionRegistry &registry, QObject *parent = nullptr);

    void push(const proto::Frame &frame, std::vector<quint64> users);
    qsizetype queued() const { return qsizetype(m_jobs.size()); }

private:
    void drain();

    struct Job {
        QByteArray bytes;
        int bodyCase = 0;
        std::vector<quint64> users;
        size_t next = 0;
    };
    ConnectionRegistry &m_registry;
    std::deque<Job> m_jobs;
    bool m_scheduled = false;
};

} // namespace chattermesh::server

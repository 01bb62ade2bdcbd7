// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QUrl>

namespace chattermesh::bench {

// A child process running a share of the benchmark's clients (bench_connections --fleet-url ...):
// one process cannot hold more descriptors than its hard limit, which an unprivileged container
// cannot raise. The child reports "live N", "closed N" and "failed WHY" lines on stdout; drop() and
// reconnect() are written to its stdin.
class FleetProcess {
public:
    FleetProcess(const QString &program, const QUrl &url, const QString &prefix, int clients, int threads,
        int opening);
    ~FleetProcess();

    bool start();
    // Reads whatever the child printed since the last call.
    void poll();
    int live() const { return m_live; }
    int closed() const { return m_closed; }
    QString failure() const { return m_failure; }
    void drop(int n);
    void reconnect();

private:
    QProcess m_process;
    QString m_program;
    QStringList m_args;
    QByteArray m_buffer;
    int m_live = 0;
    int m_closed = 0;
    QString m_failure;
};

} // namespace chattermesh::bench

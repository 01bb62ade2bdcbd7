// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <memory>

class QProcess;
class QTemporaryDir;

namespace chattermesh::test {

// The real chattermesh-server binary as a child process on a loopback port. Waits are driven by
// the process's own output and exit, bounded by generous timeouts; nothing sleeps. The per-user
// send rate limit is off (--send-rate 0) unless extraArgs sets it.
class ServerProcess {
public:
    explicit ServerProcess(QStringList extraArgs = {});
    ~ServerProcess(); // SIGTERM and wait; SIGKILL if it does not exit

    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // An empty dataDir uses a temporary directory owned by this object (kept across restarts).
    // Returns once the server printed its "listening on HOST:PORT assets APORT" line; false (with its stderr
    // as a warning) if it exited or did not get there within 20 s.
    // A restart passes the same dataDir() and port(): clients find the server where it was.
    bool start(const QString &dataDir = {}, quint16 port = 0);
    // Flags for the next start() (a restart with or without --faults, or another certificate).
    void setExtraArgs(QStringList extraArgs) { m_extraArgs = std::move(extraArgs); }
    void kill(); // SIGKILL and reap
    int terminate(); // SIGTERM, wait, return the exit code (-1 if it crashed or did not exit)
    bool running() const;

    quint16 port() const { return m_port; }
    QUrl url() const; // ws://127.0.0.1:PORT (wss:// when the arguments give --tls-cert)
    quint16 assetPort() const { return m_assetPort; }
    QUrl assetUrl(const QString &path = {}) const; // http(s)://127.0.0.1:ASSETPORT/path
    QString dataDir() const { return m_dataDir; }
    QByteArray logs() const; // everything the server wrote to stderr so far
    // One query on the server's database through the sqlite3 shell (a separate process: the tests
    // link SQLCipher, not SQLite), trimmed output. Tests look at what the server really stores.
    static QByteArray sql(const QString &dataDir, const QString &query);
    QByteArray sql(const QString &query) const { return sql(m_dataDir, query); }

private:
    bool waitForExit(int timeoutMs);
    bool tls() const { return m_extraArgs.contains(QStringLiteral("--tls-cert")); }
    void collectLogs() const;

    QStringList m_extraArgs;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    std::unique_ptr<QProcess> m_process;
    QString m_dataDir;
    quint16 m_port = 0;
    quint16 m_assetPort = 0;
    mutable QByteArray m_logs;
};

} // namespace chattermesh::test

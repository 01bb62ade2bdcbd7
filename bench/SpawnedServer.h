// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

namespace chattermesh::bench {

// The real chattermesh-server on an ephemeral loopback port with a fresh data dir.
class SpawnedServer {
public:
    explicit SpawnedServer(QStringList extraArgs = {});
    ~SpawnedServer();
    bool start();
    QUrl url() const { return m_url; }
    QUrl assetUrl() const { return m_assetUrl; } // http://HOST:ASSETPORT
    qint64 pid() const { return m_process.processId(); }

private:
    QStringList m_args;
    QTemporaryDir m_dir;
    QProcess m_process;
    QUrl m_url;
    QUrl m_assetUrl;
};

} // namespace chattermesh::bench

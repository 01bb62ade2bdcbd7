// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpawnedServer.h"

#include <QRegularExpression>

namespace chattermesh::bench {

SpawnedServer::SpawnedServer(QStringList extraArgs) : m_args(std::move(extraArgs)) { }

SpawnedServer::~SpawnedServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(20000))
            m_process.kill();
    }
}

bool SpawnedServer::start()
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(QStringLiteral(CHATTERMESH_SERVER_BIN),
        QStringList { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
            m_dir.path(), QStringLiteral("--log-level"), QStringLiteral("warning"),
            // Load generators send far above one user's rate limit; benchmarks measure the server.
            QStringLiteral("--send-rate"), QStringLiteral("0") }
            + m_args);
    QByteArray out;
    static const QRegularExpression re(QStringLiteral("listening on ([0-9.]+):([0-9]+) assets ([0-9]+)"));
    while (m_process.waitForReadyRead(20000)) {
        out += m_process.readAllStandardOutput();
        const auto m = re.match(QString::fromUtf8(out));
        if (m.hasMatch()) {
            m_url = QUrl(QStringLiteral("ws://%1:%2").arg(m.captured(1), m.captured(2)));
            m_assetUrl = QUrl(QStringLiteral("http://%1:%2").arg(m.captured(1), m.captured(3)));
            return true;
        }
    }
    return false;
}

} // namespace chattermesh::bench

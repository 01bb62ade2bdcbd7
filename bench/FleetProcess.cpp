// SPDX-License-Identifier: GPL-3.0-or-later
#include "FleetProcess.h"

namespace chattermesh::bench {

FleetProcess::FleetProcess(
    const QString &program, const QUrl &url, const QString &prefix, int clients, int threads, int opening)
    : m_program(program),
      m_args { QStringLiteral("--fleet-url"), url.toString(), QStringLiteral("--fleet-prefix"), prefix,
          QStringLiteral("--connections"), QString::number(clients), QStringLiteral("--client-threads"),
          QString::number(threads), QStringLiteral("--opening"), QString::number(opening) }
{ }

FleetProcess::~FleetProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.closeWriteChannel(); // the child exits when its stdin closes
        if (!m_process.waitForFinished(30000))
            m_process.kill();
    }
}

bool FleetProcess::start()
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(m_program, m_args);
    return m_process.waitForStarted(10000);
}

void FleetProcess::poll()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype end;
    while ((end = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        if (line.startsWith("live "))
            m_live = line.mid(5).toInt();
        else if (line.startsWith("closed "))
            m_closed = line.mid(7).toInt();
        else if (line.startsWith("failed ") && m_failure.isEmpty())
            m_failure = QString::fromUtf8(line.mid(7));
    }
    if (m_process.state() == QProcess::NotRunning && m_failure.isEmpty())
        m_failure = QStringLiteral("client process exited");
}

void FleetProcess::drop(int n)
{
    m_closed = 0;
    m_process.write("drop " + QByteArray::number(n) + '\n');
}

void FleetProcess::reconnect()
{
    m_process.write("reconnect\n");
}

} // namespace chattermesh::bench

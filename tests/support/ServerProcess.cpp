// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace chattermesh::test {

namespace {

constexpr int kStartTimeoutMs = 20000;
constexpr int kExitTimeoutMs = 20000;
// Tests send thousands of messages as fast as they can: the per-user send rate is off unless a test
// turns it on (a later flag wins).
const QStringList kTestDefaults { u"--send-rate"_s, u"0"_s };

} // namespace

ServerProcess::ServerProcess(QStringList extraArgs) : m_extraArgs(std::move(extraArgs)) { }

ServerProcess::~ServerProcess()
{
    if (!running())
        return;
    m_process->terminate();
    if (!waitForExit(kExitTimeoutMs))
        kill();
}

bool ServerProcess::running() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QUrl ServerProcess::url() const
{
    return QUrl((tls() ? u"wss://127.0.0.1:%1"_s : u"ws://127.0.0.1:%1"_s).arg(m_port));
}

QUrl ServerProcess::assetUrl(const QString &path) const
{
    return QUrl(
        (tls() ? u"https://127.0.0.1:%1%2"_s : u"http://127.0.0.1:%1%2"_s).arg(m_assetPort).arg(path));
}

void ServerProcess::collectLogs() const
{
    if (!m_process)
        return;
    const QByteArray fresh = m_process->readAllStandardError();
    if (fresh.isEmpty())
        return;
    m_logs += fresh;
    // Handy when a test fails in a way the assertions do not explain.
    if (qEnvironmentVariableIsSet("CHATTERMESH_TEST_SERVER_LOGS")) {
        std::fwrite(fresh.constData(), 1, size_t(fresh.size()), stderr);
        std::fflush(stderr);
    }
}

QByteArray ServerProcess::logs() const
{
    collectLogs();
    return m_logs;
}

bool ServerProcess::start(const QString &dataDir, quint16 port)
{
    if (running()) {
        qWarning("ServerProcess::start: already running");
        return false;
    }
    if (!dataDir.isEmpty()) {
        m_dataDir = dataDir;
    } else {
        if (!m_tempDir) {
            m_tempDir = std::make_unique<QTemporaryDir>();
            if (!m_tempDir->isValid()) {
                qWarning("ServerProcess::start: cannot create a temporary directory");
                return false;
            }
        }
        m_dataDir = m_tempDir->path();
    }

    m_process = std::make_unique<QProcess>();
    QProcess *process = m_process.get();
    QObject::connect(process, &QProcess::readyReadStandardError, process, [this] { collectLogs(); });
    const QStringList args
        = QStringList { u"--listen"_s, u"127.0.0.1:%1"_s.arg(port), u"--data-dir"_s, m_dataDir }
        + kTestDefaults + m_extraArgs;

    QEventLoop loop;
    QByteArray out;
    bool listening = false;
    auto readOut = [&] {
        out += process->readAllStandardOutput();
        const qsizetype end = out.indexOf('\n');
        if (end < 0)
            return;
        // "listening on 127.0.0.1:41234 assets 41235"
        const QList<QByteArray> words = out.left(end).trimmed().split(' ');
        bool ok = false, assetsOk = false;
        if (words.size() == 5 && words.at(0) == "listening" && words.at(1) == "on"
            && words.at(3) == "assets") {
            const QByteArray &address = words.at(2);
            m_port = address.mid(address.lastIndexOf(':') + 1).toUShort(&ok);
            m_assetPort = words.at(4).toUShort(&assetsOk);
        }
        listening = ok && assetsOk;
        loop.quit();
    };
    QObject::connect(process, &QProcess::readyReadStandardOutput, &loop, readOut);
    QObject::connect(process, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(process, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);

    process->start(QStringLiteral(CHATTERMESH_SERVER_BIN), args);
    deadline.start(kStartTimeoutMs);
    if (process->waitForStarted(kStartTimeoutMs))
        loop.exec();
    QObject::disconnect(process, &QProcess::readyReadStandardOutput, &loop, nullptr);

    if (!listening) {
        collectLogs();
        qWarning("ServerProcess::start: server did not come up (%s); stderr:\n%s",
            qPrintable(process->errorString()), m_logs.constData());
        kill();
        return false;
    }
    return true;
}

bool ServerProcess::waitForExit(int timeoutMs)
{
    if (!running())
        return true;
    // An event loop rather than waitForFinished(): clients in this process must keep answering
    // the server's close handshake while it shuts down.
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(m_process.get(), &QProcess::finished, &loop, &QEventLoop::quit);
    deadline.start(timeoutMs);
    if (running())
        loop.exec();
    collectLogs();
    return !running();
}

void ServerProcess::kill()
{
    if (!running())
        return;
    m_process->kill();
    m_process->waitForFinished(kExitTimeoutMs);
    collectLogs();
}

int ServerProcess::terminate()
{
    if (!running())
        return -1;
    m_process->terminate();
    if (!waitForExit(kExitTimeoutMs)) {
        qWarning("ServerProcess::terminate: server ignored SIGTERM; killing it");
        kill();
        return -1;
    }
    if (m_process->exitStatus() != QProcess::NormalExit)
        return -1;
    return m_process->exitCode();
}

QByteArray ServerProcess::sql(const QString &dataDir, const QString &query)
{
    QProcess p;
    p.start(QStandardPaths::findExecutable(QStringLiteral("sqlite3")),
        { QStringLiteral("-cmd"), QStringLiteral(".timeout 5000"), dataDir + QStringLiteral("/server.db"),
            query });
    p.waitForFinished(30000);
    return p.readAllStandardOutput().trimmed();
}

} // namespace chattermesh::test

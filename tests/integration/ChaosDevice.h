// SPDX-License-Identifier: GPL-3.0-or-later
// One account with one device for tst_Chaos: either a real engine in this process, or a real
// chattermesh-cli process (`script` mode) that the test SIGKILLs and starts again. Either way it
// keeps the texts it has committed ("queued"), and reads back what its store holds.
#pragma once

#include "TestClient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace chattermesh::test {

struct ChaosMessage {
    qint64 seq = 0;
    QString sender;
    QString text;
    bool outgoing = false;
    bool settled = true; // false: pending, failed or undecryptable
};

class ChaosDevice {
public:
    static inline const QString kPassword = QStringLiteral("correct horse battery");

    ChaosDevice(QString name, bool process, QString dir, QUrl server, qint64 requestTimeoutMs)
        : m_name(std::move(name)),
          m_process(process),
          m_store(dir + QLatin1Char('/') + m_name + QStringLiteral("-cli.db")),
          m_dir(std::move(dir)),
          m_server(std::move(server)),
          m_requestTimeoutMs(requestTimeoutMs)
    { }
    ~ChaosDevice() { kill(); }

    const QString &name() const { return m_name; }
    bool isProcess() const { return m_process; }
    TestClient *client() { return m_client.get(); }
    const QSet<QString> &queued() const { return m_queued; }
    const QSet<QString> &maybe() const { return m_maybe; }
    int kills() const { return m_kills; }

    bool signUp()
    {
        if (!m_process) {
            m_client = std::make_unique<TestClient>(m_dir, m_name, m_server);
            m_client->options().requestTimeoutMs = m_requestTimeoutMs;
            m_client->options().heartbeatMs = 2000;
            m_client->options().deadAfterMs = 6000;
            return m_client->signUp(m_name);
        }
        return runCli({ QStringLiteral("register"), m_name, kPassword }) == 0;
    }

    // Starts the scripted sender (a process) or nothing (an engine runs all along).
    bool startScript()
    {
        if (!m_process)
            return true;
        m_cli = std::make_unique<QProcess>();
        m_cli->start(QStringLiteral(CHATTERMESH_CLI_BIN), args({ QStringLiteral("script") }));
        return m_cli->waitForStarted(30000);
    }
    bool running() const { return m_cli && m_cli->state() != QProcess::NotRunning; }

    // Composes one message; for a process it counts as sent only once it printed "queued".
    void send(const QString &target, const QString &text)
    {
        if (!m_process) {
            const auto r = target.startsWith(u'#')
                ? m_client->engine()->sendGroupText(target.mid(1).toLongLong(), text)
                : m_client->engine()->sendText(target, text);
            if (r.ok())
                m_queued.insert(text);
            return;
        }
        if (!running())
            return;
        m_written.insert(text);
        m_cli->write((target + QLatin1Char('\t') + text + QLatin1Char('\n')).toUtf8());
    }

    // Reads what the process printed: "queued\tN\tID\tTEXT" moves TEXT to queued().
    void poll()
    {
        if (!m_cli)
            return;
        m_out += m_cli->readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_out.indexOf('\n')) >= 0) {
            const QList<QByteArray> f = m_out.left(nl).split('\t');
            m_out.remove(0, nl + 1);
            if (f.size() >= 4 && f[0] == "queued") {
                const QString text = QString::fromUtf8(f[3]);
                m_written.remove(text);
                m_queued.insert(text);
            }
        }
    }

    // SIGKILL: what was written but not confirmed may or may not have been committed.
    void kill()
    {
        if (!m_cli)
            return;
        if (running()) {
            m_cli->kill();
            m_cli->waitForFinished(30000);
            ++m_kills;
        }
        poll();
        m_maybe.unite(m_written);
        m_written.clear();
        m_cli.reset();
    }

    // No more input: the process exits once its outbox is empty and it has caught up.
    bool finish(int timeoutMs)
    {
        if (!m_cli)
            return true;
        m_cli->closeWriteChannel();
        QProcess *cli = m_cli.get();
        const bool exited = QTest::qWaitFor([cli] { return cli->state() == QProcess::NotRunning; }, timeoutMs)
            && cli->exitStatus() == QProcess::NormalExit && cli->exitCode() == 0;
        poll();
        if (!exited)
            qWarning() << m_name << "did not finish:" << m_cli->readAllStandardError().right(2000);
        m_maybe.unite(m_written);
        m_written.clear();
        m_cli.reset();
        return exited;
    }

    // Everything the store holds in each conversation (a peer, or #GROUP), in the store's order,
    // text messages only. A process device first catches up (`flush`).
    std::optional<QHash<QString, QList<ChaosMessage>>> readAll(const QStringList &conversations)
    {
        if (m_process && runCli({ QStringLiteral("flush") }) != 0)
            return std::nullopt;
        QHash<QString, QList<ChaosMessage>> all;
        for (const QString &c : conversations) {
            auto list = read(c);
            if (!list)
                return std::nullopt;
            all.insert(c, *list);
        }
        return all;
    }

    std::optional<QList<ChaosMessage>> read(const QString &conversation)
    {
        static const QRegularExpression text(QStringLiteral("^[a-z]+ \\d+$"));
        QList<ChaosMessage> out;
        if (!m_process) {
            core::Engine *e = m_client->engine();
            const auto page = conversation.startsWith(u'#')
                ? e->groupHistory(conversation.mid(1).toLongLong(), 0, 1'000'000)
                : e->history(conversation, 0, 1'000'000);
            if (!page.ok())
                return std::nullopt;
            for (const core::StoredMessage &m : page.value()) {
                if (m.kind == core::MessageKind::Undecryptable)
                    out.append({ m.seq, m.sender, QString(), false, false });
                else if (m.kind == core::MessageKind::Text && text.match(m.body).hasMatch())
                    out.append({ m.seq, m.sender, m.body, m.outgoing,
                        m.state != core::MessageState::Pending && m.state != core::MessageState::Failed });
            }
            return out;
        }
        QByteArray history;
        if (runCli({ QStringLiteral("history"), conversation, QStringLiteral("--limit"),
                       QStringLiteral("1000000") },
                &history)
            != 0)
            return std::nullopt;
        for (const QByteArray &line : history.split('\n')) {
            const QList<QByteArray> f = line.split('\t');
            if (f.size() >= 5 && f[0] == "undecryptable") {
                out.append({ f[2].toLongLong(), QString::fromUtf8(f[3]), QString(), false, false });
            } else if (f.size() >= 6 && f[0] == "msg" && text.match(QString::fromUtf8(f[5])).hasMatch()) {
                const QString state = QString::fromUtf8(f[4]);
                out.append({ f[2].toLongLong(), QString::fromUtf8(f[3]), QString::fromUtf8(f[5]),
                    QString::fromUtf8(f[3]) == m_name, state != u"pending" && state != u"failed" });
            }
        }
        return out;
    }

    int runCli(const QStringList &rest, QByteArray *out = nullptr) const
    {
        QProcess p;
        p.start(QStringLiteral(CHATTERMESH_CLI_BIN), args(rest));
        // The event loop keeps running meanwhile: the engines in this process must not go silent.
        if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, 120000)) {
            p.kill();
            p.waitForFinished();
            return -1;
        }
        if (out)
            *out = p.readAllStandardOutput();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private:
    QStringList args(const QStringList &rest) const
    {
        return QStringList { QStringLiteral("--server"), m_server.toString(), QStringLiteral("--store"),
            m_store, QStringLiteral("--passphrase"), QStringLiteral("chaos-pass"),
            QStringLiteral("--min-backoff-ms"), QStringLiteral("20"), QStringLiteral("--max-backoff-ms"),
            QStringLiteral("500"), QStringLiteral("--request-timeout-ms"),
            QString::number(m_requestTimeoutMs) }
        + rest;
    }

    QString m_name;
    bool m_process;
    QString m_store;
    QString m_dir;
    QUrl m_server;
    qint64 m_requestTimeoutMs;
    std::unique_ptr<TestClient> m_client;
    std::unique_ptr<QProcess> m_cli;
    QByteArray m_out;
    QSet<QString> m_written; // written to the process, not yet confirmed
    QSet<QString> m_queued; // committed to the device's outbox
    QSet<QString> m_maybe; // written to a process that died before confirming
    int m_kills = 0;
};

} // namespace chattermesh::test

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Engine.h"
#include "ServerProcess.h"

#include <QHash>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace chattermesh::test {

// A real in-process engine with its own SQLCipher store, plus the bookkeeping tests assert on:
// how many times each message was announced (a duplicate delivery shows up here even though the
// store would swallow it).
class TestClient {
public:
    TestClient(const QString &dir, const QString &name, const QUrl &server, const QString &device = {})
        : m_path(dir + QLatin1Char('/') + name + QStringLiteral(".db"))
    {
        m_options.serverUrl = server;
        m_options.storePath = m_path;
        m_options.key = core::DbKey::passphrase(QStringLiteral("pw-") + name);
        m_options.deviceName = device.isEmpty() ? name : device;
        m_options.minBackoffMs = 5;
        m_options.maxBackoffMs = 200;
    }

    core::Engine *engine() { return m_engine.get(); }
    core::Engine *operator->() { return m_engine.get(); }
    QString storePath() const { return m_path; }
    void setServer(const QUrl &url) { m_options.serverUrl = url; }
    core::EngineOptions &options() { return m_options; }

    bool open()
    {
        m_engine = std::make_unique<core::Engine>(m_options);
        QObject::connect(m_engine.get(), &core::Engine::messageAdded, m_engine.get(),
            [this](const core::StoredMessage &m) {
                if (m.state != core::MessageState::Pending) {
                    ++m_announced[m.clientMsgId];
                    m_order.append(m.seq);
                }
            });
        return m_engine->open().ok();
    }
    void close() { m_engine.reset(); }

    bool signUp(const QString &user, bool registerNew = true)
    {
        if (!m_engine && !open())
            return false;
        if (registerNew)
            m_engine->registerAccount(user, QStringLiteral("correct horse battery"));
        else
            m_engine->login(user, QStringLiteral("correct horse battery"));
        return waitOnline();
    }

    bool waitOnline(int timeoutMs = 20000)
    {
        return QTest::qWaitFor(
            [this] { return m_engine->status() == core::Engine::Status::Online; }, timeoutMs);
    }

    QList<core::StoredMessage> all(const QString &peer)
    {
        auto r = m_engine->history(peer, 0, 1'000'000);
        return r.ok() ? r.value() : QList<core::StoredMessage> {};
    }

    int countState(const QString &peer, core::MessageState s)
    {
        int n = 0;
        for (const auto &m : all(peer))
            n += m.state == s;
        return n;
    }

    int maxAnnouncements() const
    {
        int most = 0;
        for (int n : m_announced)
            most = std::max(most, n);
        return most;
    }
    qsizetype announced() const { return m_announced.size(); }
    const QList<qint64> &arrivalOrder() const { return m_order; }

private:
    QString m_path;
    core::EngineOptions m_options;
    std::unique_ptr<core::Engine> m_engine;
    QHash<QByteArray, int> m_announced;
    QList<qint64> m_order;
};

// The start of most flows: a fresh server, and alice and bob signed up on it. Unpack it with
// `auto &[server, dir, alice, bob] = duo;`.
struct AliceAndBob {
    ServerProcess server;
    QTemporaryDir dir;
    TestClient alice { dir.path(), QStringLiteral("alice"), QUrl() };
    TestClient bob { dir.path(), QStringLiteral("bob"), QUrl() };

    bool start()
    {
        if (!server.start())
            return false;
        alice.setServer(server.url());
        bob.setServer(server.url());
        return alice.signUp(QStringLiteral("alice")) && bob.signUp(QStringLiteral("bob"));
    }
};

} // namespace chattermesh::test

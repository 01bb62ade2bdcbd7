// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliSession.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMetaEnum>
#include <unistd.h>

namespace chattermesh::cli {

using core::Engine;
using core::StoredMessage;

CliSession::CliSession(Engine *engine, Command command, QObject *parent)
    : QObject(parent), m_engine(engine), m_cmd(std::move(command)), m_out(stdout)
{
    connect(engine, &Engine::authenticated, this, &CliSession::onAuthenticated);
    connect(engine, &Engine::caughtUp, this, &CliSession::onCaughtUp);
    // A new device is ready once its public keys are on the server: others can then write to it.
    connect(engine, &Engine::keysUploaded, this, [this](quint32 oneTimePreKeys) {
        print({ QStringLiteral("keys-uploaded"), QString::number(oneTimePreKeys) });
        if (m_cmd.verb == u"register" || m_cmd.verb == u"login")
            Q_EMIT finished(0);
    });
    connect(engine, &Engine::identityChanged, this, [this](const QString &peer, bool blocked) {
        print({ QStringLiteral("identity-changed"), peer, blocked ? QStringLiteral("held") : QString() });
    });
    connect(engine, &Engine::decryptFailed, this,
        [this](const QByteArray &id, crypto::CryptoError, const QString &msg) {
            print({ QStringLiteral("undecryptable"), QString::fromLatin1(id.toHex()), msg });
        });
    connect(engine, &Engine::authFailed, this, [this](proto::ErrorCode code, const QString &msg) {
        failWith(QStringLiteral("%1\t%2").arg(QString::fromStdString(proto::ErrorCode_Name(code)), msg), 3);
    });
    connect(engine, &Engine::tlsFailed, this, [this](sync::TlsError error, const QString &msg) {
        failWith(QStringLiteral("%1\t%2").arg(sync::TlsTrust::errorName(error), msg), 7);
    });
    connect(engine, &Engine::statusChanged, this, [this](Engine::Status s) {
        print({ QStringLiteral("status"),
            QString::fromLatin1(QMetaEnum::fromType<Engine::Status>().valueToKey(int(s))).toLower() });
    });
    connect(engine, &Engine::messageAdded, this, [this](const StoredMessage &m) {
        if (m.state == core::MessageState::Pending || m.kind == core::MessageKind::Undecryptable)
            return; // our own compose is reported as "queued", a placeholder as "undecryptable"
        if (m.kind == core::MessageKind::GroupEvent) {
            print({ QStringLiteral("event"), where(m), QString::number(m.seq), m.body });
            return;
        }
        print({ QStringLiteral("msg"), where(m), QString::number(m.seq), m.sender, m.body });
        if (!m.outgoing)
            ++m_received;
        maybeDone();
    });
    connect(engine, &Engine::groupChanged, this, [this](quint64, qint64 conversation, qint64 seq) {
        print({ QStringLiteral("group"), QString::number(conversation), QString::number(seq) });
        Q_EMIT finished(0);
    });
    connect(engine, &Engine::groupRequestFailed, this,
        [this](quint64, proto::ErrorCode code, const QString &msg) {
            failWith(
                QStringLiteral("%1\t%2").arg(QString::fromStdString(proto::ErrorCode_Name(code)), msg), 5);
        });
    connect(engine->live(), &core::LiveState::typingChanged, this,
        [this](quint64 conversation, const QStringList &typists) {
            print({ QStringLiteral("typing"), QStringLiteral("#%1").arg(conversation),
                core::TypingRoster::summary(typists) });
        });
    connect(engine->live(), &core::LiveState::presenceChanged, this, [this](const QString &user) {
        const auto state = m_engine->live()->presence(user);
        if (!state.known)
            return; // forgotten because we disconnected: nothing to tell
        print({ QStringLiteral("presence"), user,
            core::PresenceBook::describe(state, QDateTime::currentMSecsSinceEpoch()) });
    });
    connect(engine, &Engine::messageRepaired, this, [this](const StoredMessage &m) {
        print({ QStringLiteral("msg"), where(m), QString::number(m.seq), m.sender, m.body });
        ++m_received;
        maybeDone();
    });
    connect(engine, &Engine::messageStateChanged, this, [this](const core::StateChange &c) {
        print({ QStringLiteral("state"), QString::fromLatin1(c.clientMsgId.toHex()),
            core::stateName(c.state) });
        maybeDone();
    });
    connect(engine, &Engine::sendFailed, this,
        [this](const QByteArray &id, proto::ErrorCode code, const QString &msg) {
            print({ QStringLiteral("failed"), QString::fromLatin1(id.toHex()),
                QString::fromStdString(proto::ErrorCode_Name(code)), msg });
            maybeDone();
        });
    connect(engine, &Engine::devicesListed, this, [this](const QList<core::DeviceInfo> &list) {
        for (const auto &d : list)
            print({ QStringLiteral("device"), QString::number(d.id), d.name,
                d.current ? QStringLiteral("current") : QString() });
        Q_EMIT finished(0);
    });
    connectTransfers();
    connect(engine, &Engine::storeFailed, this,
        [this](core::StoreError, const QString &msg) { failWith(msg, 4); });
}

void CliSession::print(const QStringList &fields)
{
    m_out << fields.join(QLatin1Char('\t')) << Qt::endl;
}

void CliSession::failWith(const QString &what, int code)
{
    QTextStream(stderr) << "error\t" << what << Qt::endl;
    Q_EMIT finished(code);
}

void CliSession::start()
{
    const QString &v = m_cmd.verb;
    if (v == u"register" || v == u"login") {
        if (m_cmd.args.size() != 2)
            return failWith(QStringLiteral("usage: %1 USER PASSWORD").arg(v), 2);
        if (v == u"register")
            m_engine->registerAccount(m_cmd.args[0], m_cmd.args[1]);
        else
            m_engine->login(m_cmd.args[0], m_cmd.args[1]);
        return;
    }
    if (!m_engine->hasSession())
        return failWith(QStringLiteral("not signed in: run register or login first"), 3);
    if (v == u"send") {
        if (m_cmd.args.isEmpty() || (!m_cmd.fromStdin && m_cmd.args.size() < 2))
            return failWith(QStringLiteral("usage: send PEER TEXT... | send PEER --stdin"), 2);
        if (m_cmd.fromStdin) {
            m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
            connect(m_stdin, &QSocketNotifier::activated, this, &CliSession::readStdin);
        } else {
            queue(m_cmd.args[0], m_cmd.args.mid(1).join(QLatin1Char(' ')));
            m_stdinDone = true;
        }
        return;
    }
    if (v == u"script") {
        // One message per line, "PEER<TAB>TEXT" or "#GROUP<TAB>TEXT": a scripted sender for tests.
        m_stdin = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
        connect(m_stdin, &QSocketNotifier::activated, this, &CliSession::readStdin);
        return;
    }
    if (v == u"history") {
        if (m_cmd.args.size() != 1)
            return failWith(QStringLiteral("usage: history PEER|#GROUP"), 2);
        const QString &of = m_cmd.args[0];
        auto page = of.startsWith(u'#') ? m_engine->groupHistory(of.mid(1).toLongLong(), 0, m_cmd.limit)
                                        : m_engine->history(of, 0, m_cmd.limit);
        if (!page)
            return failWith(page.error().message, 4);
        for (const StoredMessage &m : page.value()) {
            if (m.kind == core::MessageKind::IdentityNotice)
                print({ QStringLiteral("notice"), m.peer, QString::number(m.seq), m.body });
            else if (m.kind == core::MessageKind::Undecryptable)
                print({ QStringLiteral("undecryptable"), m.peer, QString::number(m.seq), m.sender, m.error });
            else
                print({ QStringLiteral("msg"), where(m), QString::number(m.seq), m.sender,
                    core::stateName(m.state), m.body });
        }
        Q_EMIT finished(0);
        return;
    }
    if (v == u"safety" || v == u"verify" || v == u"accept") {
        if (m_cmd.args.size() != 1)
            return failWith(QStringLiteral("usage: %1 PEER").arg(v), 2);
        const QString peer = m_cmd.args[0];
        if (v == u"verify" && !m_engine->setVerified(peer, true))
            return failWith(QStringLiteral("could not mark %1 verified").arg(peer), 4);
        if (v == u"accept" && !m_engine->acceptIdentity(peer))
            return failWith(QStringLiteral("could not accept the new key of %1").arg(peer), 4);
        auto number = m_engine->safetyNumber(peer);
        if (!number)
            return failWith(number.error().message, 5);
        // Twelve groups of five digits, as both people read them to each other.
        QStringList groups;
        for (qsizetype i = 0; i < number.value().digits.size(); i += 5)
            groups << number.value().digits.mid(i, 5);
        print({ QStringLiteral("safety"), peer, groups.join(QLatin1Char(' ')),
            m_engine->isBlocked(peer) ? QStringLiteral("held") : QStringLiteral("ok") });
        print({ QStringLiteral("qr"), peer, QString::fromLatin1(number.value().qrPayload.toBase64()) });
        Q_EMIT finished(0);
        return;
    }
    if (v == u"group-send") {
        if (m_cmd.args.size() < 2)
            return failWith(QStringLiteral("usage: group-send GROUP TEXT..."), 2);
        auto r
            = m_engine->sendGroupText(m_cmd.args[0].toLongLong(), m_cmd.args.mid(1).join(QLatin1Char(' ')));
        if (!r)
            return failWith(r.error().message, 4);
        print({ QStringLiteral("queued"), QStringLiteral("1"),
            QString::fromLatin1(r.value().clientMsgId.toHex()) });
        m_stdinDone = true;
        return;
    }
    if (v == u"conversations") {
        auto list = m_engine->conversations();
        if (!list)
            return failWith(list.error().message, 4);
        for (const auto &c : list.value()) {
            print({ QStringLiteral("conversation"), c.group ? QStringLiteral("#%1").arg(c.serverId) : c.peer,
                c.group ? c.title : QString(), QStringLiteral("unread=%1").arg(c.unread) });
            if (!c.group)
                continue;
            for (const auto &member : m_engine->group(c.serverId).value_or(core::GroupState {}).members)
                print({ QStringLiteral("member"), QStringLiteral("#%1").arg(c.serverId), member.username,
                    QString::fromStdString(proto::Role_Name(member.role)).toLower() });
        }
        Q_EMIT finished(0);
        return;
    }
    if (v == u"group-create" || v == u"group") {
        if (m_cmd.args.size() < (v == u"group" ? 2 : 1))
            return failWith(
                QStringLiteral("usage: group-create TITLE MEMBER... | group GROUP rename TITLE|add USER...|"
                               "remove USER...|leave|promote USER|demote USER|admins-only on|off"),
                2);
        return; // sent once caught up
    }
    if (v == u"send-file")
        return startMedia();
    if (v == u"fetch")
        return; // once caught up: the attachment may be in what arrives
    if (v == u"listen" || v == u"flush" || v == u"devices")
        return; // driven by authenticated / caughtUp
    failWith(QStringLiteral("unknown command %1").arg(v), 2);
}

void CliSession::onAuthenticated()
{
    print({ QStringLiteral("signed-in"), m_engine->username(), QString::number(m_engine->deviceId()) });
    if (m_cmd.verb == u"register" || m_cmd.verb == u"login")
        Q_EMIT finished(0);
    else if (m_cmd.verb == u"devices")
        m_engine->listDevices();
}

void CliSession::onCaughtUp()
{
    m_caughtUp = true;
    if (m_cmd.verb == u"fetch" && m_fetching == 0)
        return startMedia();
    if (m_cmd.verb == u"group-create" && !m_groupSent) {
        m_groupSent = true;
        m_engine->createGroup(m_cmd.args[0], m_cmd.args.mid(1));
    } else if (m_cmd.verb == u"group" && !m_groupSent) {
        m_groupSent = true;
        sendGroupChange();
    }
    maybeDone();
}

void CliSession::sendGroupChange()
{
    const qint64 group = m_cmd.args[0].toLongLong();
    const QString op = m_cmd.args[1];
    const QStringList rest = m_cmd.args.mid(2);
    if (op == u"rename" && !rest.isEmpty())
        m_engine->renameGroup(group, rest.join(QLatin1Char(' ')));
    else if (op == u"add" && !rest.isEmpty())
        m_engine->addMembers(group, rest);
    else if (op == u"remove" && !rest.isEmpty())
        m_engine->removeMembers(group, rest);
    else if (op == u"leave")
        m_engine->leaveGroup(group);
    else if ((op == u"promote" || op == u"demote") && rest.size() == 1)
        m_engine->setAdmin(group, rest[0], op == u"promote");
    else if (op == u"admins-only" && rest.size() == 1)
        m_engine->setOnlyAdminsSend(group, rest[0] == u"on");
    else
        failWith(QStringLiteral("unknown group change %1").arg(op), 2);
}

QString CliSession::where(const StoredMessage &m)
{
    return m.group ? QStringLiteral("#%1").arg(m.conversationServerId) : m.peer;
}

void CliSession::readStdin()
{
    char buf[65536];
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {
        m_stdin->setEnabled(false);
        m_stdinDone = true;
        maybeDone();
        return;
    }
    m_stdinBuffer.append(buf, n);
    qsizetype nl;
    while ((nl = m_stdinBuffer.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_stdinBuffer.left(nl));
        m_stdinBuffer.remove(0, nl + 1);
        if (line.isEmpty())
            continue;
        if (m_cmd.verb != u"script") {
            queue(m_cmd.args[0], line);
            continue;
        }
        const qsizetype tab = line.indexOf(u'\t');
        if (tab <= 0)
            return failWith(QStringLiteral("script: expected TARGET<TAB>TEXT, got '%1'").arg(line), 2);
        queue(line.left(tab), line.mid(tab + 1));
    }
}

void CliSession::queue(const QString &peer, const QString &text)
{
    auto r = peer.startsWith(u'#') ? m_engine->sendGroupText(peer.mid(1).toLongLong(), text)
                                   : m_engine->sendText(peer, text);
    if (!r)
        return failWith(r.error().message, 4);
    ++m_queued;
    // Printed once the message and its outbox row are committed: from here on it is "sent".
    print({ QStringLiteral("queued"), QString::number(m_queued),
        QString::fromLatin1(r.value().clientMsgId.toHex()), text });
}

void CliSession::maybeDone()
{
    const QString &v = m_cmd.verb;
    const bool moving = !m_engine->store().transfers().active().value().isEmpty();
    if ((v == u"send" || v == u"script" || v == u"flush" || v == u"group-send" || v == u"send-file")
        && m_stdinDone && m_caughtUp && m_engine->outboxSize() == 0 && !moving)
        Q_EMIT finished(0);
    else if (v == u"flush" && m_caughtUp && m_engine->outboxSize() == 0 && !moving)
        Q_EMIT finished(0);
    else if (v == u"listen" && m_cmd.count > 0 && m_received >= m_cmd.count)
        Q_EMIT finished(0);
}

} // namespace chattermesh::cli

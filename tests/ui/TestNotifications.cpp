// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestNotifications.h"

#include <QDBusConnectionInterface>
#include <QStandardPaths>
#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace {

const QString kConnection = u"test-notification-service"_s;
constexpr int kStartMs = 20'000;

} // namespace

TestNotifications::~TestNotifications()
{
    stop();
}

QString TestNotifications::start()
{
    const QString daemon = QStandardPaths::findExecutable(u"dbus-daemon"_s);
    if (daemon.isEmpty())
        return u"dbus-daemon is not installed: run scripts/deps"_s;
    m_daemon.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); }); // gone with a crashed test
    m_daemon.start(daemon, { u"--session"_s, u"--nofork"_s, u"--nopidfile"_s, u"--print-address=1"_s });
    if (!m_daemon.waitForStarted(kStartMs))
        return m_daemon.errorString();
    while (!m_daemon.canReadLine()) {
        if (!m_daemon.waitForReadyRead(kStartMs))
            return u"dbus-daemon printed no address"_s;
    }
    m_address = QString::fromUtf8(m_daemon.readLine()).trimmed();
    qputenv("DBUS_SESSION_BUS_ADDRESS", m_address.toUtf8());

    QDBusConnection bus = QDBusConnection::connectToBus(m_address, kConnection);
    if (!bus.isConnected())
        return u"cannot connect to the test bus: "_s + bus.lastError().message();
    if (!bus.registerObject(u"/org/freedesktop/Notifications"_s, this,
            QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals))
        return u"cannot register the notification object"_s;
    if (!bus.registerService(u"org.freedesktop.Notifications"_s))
        return u"cannot own org.freedesktop.Notifications: "_s + bus.lastError().message();
    return QString();
}

void TestNotifications::stop()
{
    if (!m_address.isEmpty()) {
        QDBusConnection::disconnectFromBus(kConnection);
        m_address.clear();
    }
    if (m_daemon.state() != QProcess::NotRunning) {
        m_daemon.terminate();
        if (!m_daemon.waitForFinished(kStartMs))
            m_daemon.kill();
    }
}

uint TestNotifications::Notify(const QString &appName, uint, const QString &, const QString &summary,
    const QString &body, const QStringList &actions, const QVariantMap &, int)
{
    m_shown.append({ { u"app"_s, appName }, { u"summary"_s, summary }, { u"body"_s, body },
        { u"actions"_s, actions }, { u"id"_s, uint(m_shown.size() + 1) } });
    return uint(m_shown.size());
}

void TestNotifications::clickLast()
{
    if (m_shown.isEmpty())
        return;
    const uint id = m_shown.constLast().value(u"id"_s).toUInt();
    QDBusMessage signal = QDBusMessage::createSignal(
        u"/org/freedesktop/Notifications"_s, u"org.freedesktop.Notifications"_s, u"ActionInvoked"_s);
    signal << id << u"default"_s;
    QDBusConnection(kConnection).send(signal);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDBusConnection>
#include <QObject>
#include <QProcess>
#include <QVariantMap>

// A desktop session's notification service, for tests: a private dbus-daemon (its address goes
// into DBUS_SESSION_BUS_ADDRESS, so start() must run before anything in the process uses the
// session bus) and, on its own connection to that bus, an org.freedesktop.Notifications server
// that keeps what the app asked to show and can "click" it (the ActionInvoked signal).
class TestNotifications : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    explicit TestNotifications(QObject *parent = nullptr) : QObject(parent) { }
    ~TestNotifications() override;

    // Empty on success, otherwise why the bus or the service is not there.
    QString start();
    void stop();

    int count() const { return int(m_shown.size()); }
    // The last one asked for: summary, body, actions, app name.
    QVariantMap last() const { return m_shown.isEmpty() ? QVariantMap() : m_shown.constLast(); }
    // What clicking the last notification's body does on a desktop.
    void clickLast();

public Q_SLOTS:
    // The freedesktop Notify call, as the app makes it (over the bus, from its own connection).
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon, const QString &summary,
        const QString &body, const QStringList &actions, const QVariantMap &hints, int expireTimeout);
    QStringList GetCapabilities() const { return { QStringLiteral("actions"), QStringLiteral("body") }; }

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &actionKey);

private:
    QProcess m_daemon;
    QString m_address;
    QList<QVariantMap> m_shown;
};

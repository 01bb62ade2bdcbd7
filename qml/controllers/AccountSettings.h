// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineThread.h"

#include <QObject>
#include <QQmlEngine>
#include <QVariantList>

namespace chattermesh::qml {

// The settings screen's model. Privacy is the server's (it enforces it, and my other devices see
// the same), read after sign-in and pushed when another device changes it. This account's devices
// come from the server too. Appearance and notifications are this installation's, in QSettings.
class AccountSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SessionController.settings")
    // 0 everyone, 1 contacts (people I have a chat with), 2 nobody: who sees my online state and
    // last seen.
    Q_PROPERTY(
        int lastSeenVisibility READ lastSeenVisibility WRITE setLastSeenVisibility NOTIFY privacyChanged)
    // Off: I send no read receipts, and so see none.
    Q_PROPERTY(bool readReceipts READ readReceipts WRITE setReadReceipts NOTIFY privacyChanged)
    // [{ id, name, lastSeen (text), current }]
    Q_PROPERTY(QVariantList devices READ devices NOTIFY devicesChanged)
    Q_PROPERTY(bool notifications READ notifications WRITE setNotifications NOTIFY notificationsChanged)
    Q_PROPERTY(bool notificationPreview READ notificationPreview WRITE setNotificationPreview NOTIFY
            notificationsChanged)
    // "system", "light" or "dark"; Theme.mode follows it.
    Q_PROPERTY(QString themeMode READ themeMode WRITE setThemeMode NOTIFY themeModeChanged)
public:
    explicit AccountSettings(QObject *parent = nullptr);
    void attach(EngineThread *engine);

    int lastSeenVisibility() const { return m_visibility; }
    void setLastSeenVisibility(int visibility);
    bool readReceipts() const { return m_readReceipts; }
    void setReadReceipts(bool on);
    QVariantList devices() const { return m_devices; }
    Q_INVOKABLE void refreshDevices();
    Q_INVOKABLE void removeDevice(qint64 id);
    bool notifications() const { return m_notifications; }
    void setNotifications(bool on);
    bool notificationPreview() const { return m_preview; }
    void setNotificationPreview(bool on);
    QString themeMode() const { return m_themeMode; }
    void setThemeMode(const QString &mode);

Q_SIGNALS:
    void privacyChanged();
    void devicesChanged();
    void notificationsChanged();
    void themeModeChanged();

private:
    void readPrivacy();
    void pushPrivacy();

    EngineThread *m_engine = nullptr;
    int m_visibility = 0;
    bool m_readReceipts = true;
    QVariantList m_devices;
    bool m_notifications = true;
    bool m_preview = true;
    QString m_themeMode;
};

} // namespace chattermesh::qml

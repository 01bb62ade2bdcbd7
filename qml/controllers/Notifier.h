// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineThread.h"

#include <QHash>
#include <QIcon>
#include <QObject>
#include <QQmlEngine>
#include <QSet>

class QSystemTrayIcon;

namespace chattermesh::qml {

class AccountSettings;

// Decides when a new message deserves a desktop notification and shows it: only messages from
// others, only when the window is not in front or another conversation is open, never for a muted
// conversation or with notifications off. Shown through the tray icon where there is a tray (its
// icon also carries the unread total), else through the freedesktop notification service on D-Bus;
// clicking either opens the conversation. Tests read what was decided through notified().
class Notifier : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SessionController.notifier")
    // Set by the window (Window.active); a notification is due when false.
    Q_PROPERTY(bool windowActive READ windowActive WRITE setWindowActive NOTIFY windowActiveChanged)
    Q_PROPERTY(int shown READ shown NOTIFY notified)
    Q_PROPERTY(QString lastKey READ lastKey NOTIFY notified)
    Q_PROPERTY(bool trayVisible READ trayVisible CONSTANT)
public:
    Notifier(const AccountSettings &settings, QObject *parent = nullptr);
    ~Notifier() override;
    void attach(EngineThread *engine);

    bool windowActive() const { return m_windowActive; }
    void setWindowActive(bool active);
    int shown() const { return m_shown; }
    QString lastKey() const { return m_lastKey; }
    bool trayVisible() const { return m_tray != nullptr; }

    // What ChatModel has open ("" none); its messages need no notification while the window is in
    // front.
    void setOpenKey(const QString &key) { m_openKey = key; }
    void setMuted(const QString &key, bool muted);
    void setUnreadTotal(int total);
    // What a click on the notification does: ask for the conversation to be opened.
    Q_INVOKABLE void activate(const QString &key);

Q_SIGNALS:
    void windowActiveChanged();
    void notified(const QString &key, const QString &title, const QString &body);
    void openRequested(const QString &key);

private Q_SLOTS:
    // The freedesktop service's ActionInvoked signal: a click on one of our notifications.
    void onDbusAction(uint id, const QString &action);

private:
    void onMessage(const core::StoredMessage &m);
    void showDesktop(const QString &key, const QString &title, const QString &body);
    void updateTrayIcon();

    const AccountSettings &m_settings;
    EngineThread *m_engine = nullptr;
    bool m_windowActive = true;
    QString m_openKey;
    QSet<QString> m_muted;
    int m_shown = 0;
    QString m_lastKey;
    QSystemTrayIcon *m_tray = nullptr;
    QIcon m_baseIcon;
    int m_unreadTotal = 0;
    QHash<uint, QString> m_dbusKeys; // notification id -> conversation, for clicks
};

} // namespace chattermesh::qml

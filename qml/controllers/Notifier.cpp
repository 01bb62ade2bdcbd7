// SPDX-License-Identifier: GPL-3.0-or-later
#include "Notifier.h"

#include "AccountSettings.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QPainter>
#include <QPointer>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace chattermesh::qml {

using core::Engine;
using core::MessageKind;
using core::StoredMessage;

namespace {

const QString kService = u"org.freedesktop.Notifications"_s;
const QString kPath = u"/org/freedesktop/Notifications"_s;

QString keyOf(const StoredMessage &m)
{
    return m.group ? u"#"_s + QString::number(m.conversationServerId) : m.peer;
}

} // namespace

Notifier::Notifier(const AccountSettings &settings, QObject *parent)
    : QObject(parent), m_settings(settings), m_baseIcon(u":/icons/chattermesh.png"_s)
{
    // A tray needs QtWidgets' QApplication (the desktop app makes one; tests and phones do not).
    if (qobject_cast<QApplication *>(QCoreApplication::instance())
        && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        updateTrayIcon();
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { activate(m_lastKey); });
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] { activate(QString()); });
    } else {
        QDBusConnection::sessionBus().connect(
            kService, kPath, kService, u"ActionInvoked"_s, this, SLOT(onDbusAction(uint, QString)));
    }
}

Notifier::~Notifier() = default;

void Notifier::attach(EngineThread *engine)
{
    m_engine = engine;
    connect(engine->engine(), &Engine::messageAdded, this, &Notifier::onMessage);
}

void Notifier::setWindowActive(bool active)
{
    if (active == m_windowActive)
        return;
    m_windowActive = active;
    Q_EMIT windowActiveChanged();
}

void Notifier::setMuted(const QString &key, bool muted)
{
    if (muted)
        m_muted.insert(key);
    else
        m_muted.remove(key);
}

void Notifier::onMessage(const StoredMessage &m)
{
    if (m.outgoing || (m.kind != MessageKind::Text && m.kind != MessageKind::Media))
        return;
    const QString key = keyOf(m);
    if (!m_settings.notifications() || m_muted.contains(key))
        return;
    if (m_windowActive && key == m_openKey)
        return; // it is on screen
    // The title names the conversation; the body can leave the text out (lock screens, shared
    // screens): the setting decides.
    const QString title = m.group ? m.sender : m.peer;
    const QString body = m_settings.notificationPreview() ? m.body : tr("New message");
    ++m_shown;
    m_lastKey = key;
    showDesktop(key, title, body);
    Q_EMIT notified(key, title, body);
}

void Notifier::showDesktop(const QString &key, const QString &title, const QString &body)
{
    if (m_tray) {
        m_tray->showMessage(title, body, m_baseIcon);
        return;
    }
    // A bare message, not a QDBusInterface: that one introspects the service synchronously, which
    // blocks the GUI thread for as long as the service takes (up to D-Bus's 25 s timeout).
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return; // no session bus (a headless session): the title's unread count remains
    QDBusMessage notify = QDBusMessage::createMethodCall(kService, kPath, kService, u"Notify"_s);
    const QStringList actions { u"default"_s, tr("Open") };
    notify << u"ChatterMesh"_s << uint(0) << u"chattermesh"_s << title << body << actions
           << QVariantMap { { u"desktop-entry"_s, u"org.chattermesh.ChatterMesh"_s } } << -1;
    QDBusPendingCall call = bus.asyncCall(notify);
    auto *watcher = new QDBusPendingCallWatcher(call, this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, key](QDBusPendingCallWatcher *w) {
        QDBusPendingReply<uint> reply = *w;
        if (reply.isValid())
            m_dbusKeys.insert(reply.value(), key);
        w->deleteLater();
    });
}

void Notifier::onDbusAction(uint id, const QString &action)
{
    const QString key = m_dbusKeys.take(id);
    if (!key.isEmpty() && action == u"default")
        activate(key);
}

void Notifier::activate(const QString &key)
{
    Q_EMIT openRequested(key);
}

void Notifier::setUnreadTotal(int total)
{
    if (total == m_unreadTotal)
        return;
    m_unreadTotal = total;
    updateTrayIcon();
}

void Notifier::updateTrayIcon()
{
    if (!m_tray)
        return;
    m_tray->setToolTip(
        m_unreadTotal > 0 ? tr("ChatterMesh: %n unread", nullptr, m_unreadTotal) : u"ChatterMesh"_s);
    if (m_unreadTotal == 0) {
        m_tray->setIcon(m_baseIcon);
        return;
    }
    // The count on the icon, as phones do on app icons.
    QPixmap pixmap = m_baseIcon.pixmap(64, 64);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(QColor(0xc6, 0x28, 0x28));
    painter.setPen(Qt::NoPen);
    const QRectF badge(28, 0, 36, 36);
    painter.drawEllipse(badge);
    painter.setPen(Qt::white);
    QFont font = painter.font();
    font.setPixelSize(22);
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(badge, Qt::AlignCenter, m_unreadTotal > 99 ? u"99+"_s : QString::number(m_unreadTotal));
    painter.end();
    m_tray->setIcon(QIcon(pixmap));
}

} // namespace chattermesh::qml

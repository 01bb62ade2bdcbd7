// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccountSettings.h"

#include <QDateTime>
#include <QLocale>
#include <QPointer>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace chattermesh::qml {

using core::Engine;

AccountSettings::AccountSettings(QObject *parent)
    : QObject(parent),
      m_notifications(QSettings().value(u"notifications"_s, true).toBool()),
      m_preview(QSettings().value(u"notificationPreview"_s, true).toBool()),
      m_themeMode(QSettings().value(u"theme"_s, u"system"_s).toString())
{ }

void AccountSettings::attach(EngineThread *engine)
{
    m_engine = engine;
    Engine *e = engine->engine();
    connect(e->live(), &core::LiveState::settingsChanged, this, &AccountSettings::readPrivacy);
    connect(e, &Engine::devicesListed, this, [this](const QList<core::DeviceInfo> &list) {
        m_devices.clear();
        for (const core::DeviceInfo &d : list) {
            const QString seen = d.lastSeenMs > 0
                ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(d.lastSeenMs), QLocale::ShortFormat)
                : QString();
            m_devices.append(QVariantMap { { u"id"_s, d.id }, { u"name"_s, d.name }, { u"lastSeen"_s, seen },
                { u"current"_s, d.current } });
        }
        Q_EMIT devicesChanged();
    });
}

void AccountSettings::readPrivacy()
{
    QPointer<AccountSettings> self(this);
    m_engine->post([e = m_engine->engine(), self] {
        const proto::Settings s = e->live()->settings();
        const int visibility = int(s.presence_visibility());
        const bool receipts = !s.read_receipts_off();
        QMetaObject::invokeMethod(self.get(), [self, visibility, receipts] {
            if (!self || (self->m_visibility == visibility && self->m_readReceipts == receipts))
                return;
            self->m_visibility = visibility;
            self->m_readReceipts = receipts;
            Q_EMIT self->privacyChanged();
        });
    });
}

void AccountSettings::pushPrivacy()
{
    Q_EMIT privacyChanged();
    if (!m_engine || !m_engine->engine())
        return;
    m_engine->post([e = m_engine->engine(), v = proto::Visibility(m_visibility), off = !m_readReceipts] {
        e->setPrivacy(v, off);
    });
}

void AccountSettings::setLastSeenVisibility(int visibility)
{
    if (visibility < proto::EVERYONE || visibility > proto::NOBODY || visibility == m_visibility)
        return;
    m_visibility = visibility;
    pushPrivacy();
}

void AccountSettings::setReadReceipts(bool on)
{
    if (on == m_readReceipts)
        return;
    m_readReceipts = on;
    pushPrivacy();
}

void AccountSettings::refreshDevices()
{
    if (m_engine && m_engine->engine())
        m_engine->post([e = m_engine->engine()] { e->listDevices(); });
}

void AccountSettings::removeDevice(qint64 id)
{
    if (!m_engine || !m_engine->engine())
        return;
    // The server answers with the new list (devicesListed).
    m_engine->post([e = m_engine->engine(), id] { e->removeDevice(id); });
}

void AccountSettings::setNotifications(bool on)
{
    if (on == m_notifications)
        return;
    m_notifications = on;
    QSettings().setValue(u"notifications"_s, on);
    Q_EMIT notificationsChanged();
}

void AccountSettings::setNotificationPreview(bool on)
{
    if (on == m_preview)
        return;
    m_preview = on;
    QSettings().setValue(u"notificationPreview"_s, on);
    Q_EMIT notificationsChanged();
}

void AccountSettings::setThemeMode(const QString &mode)
{
    if (mode == m_themeMode || (mode != u"system" && mode != u"light" && mode != u"dark"))
        return;
    m_themeMode = mode;
    QSettings().setValue(u"theme"_s, mode);
    Q_EMIT themeModeChanged();
}

} // namespace chattermesh::qml

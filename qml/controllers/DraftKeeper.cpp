// SPDX-License-Identifier: GPL-3.0-or-later
#include "DraftKeeper.h"

#include "EngineThread.h"

#include <QPointer>

namespace chattermesh::qml {

namespace {
// Long enough that a typing burst is one write, short enough that a crash loses little.
constexpr int kWriteAfterIdleMs = 600;
} // namespace

DraftKeeper::DraftKeeper(QObject *parent) : QObject(parent)
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(kWriteAfterIdleMs);
    connect(&m_idle, &QTimer::timeout, this, &DraftKeeper::flush);
}

void DraftKeeper::edit(const QString &key, const QString &text)
{
    if (key.isEmpty())
        return;
    if (m_pending && m_pendingKey != key)
        flush();
    m_pendingKey = key;
    m_pendingText = text;
    m_pending = true;
    m_idle.start();
}

void DraftKeeper::load(const QString &key)
{
    flush();
    if (key.isEmpty() || !m_engine || !m_engine->engine())
        return;
    QPointer<DraftKeeper> self(this);
    m_engine->post([e = m_engine->engine(), self, key] {
        const auto draft = e->draft(key);
        const QString text = draft ? draft.value() : QString();
        QMetaObject::invokeMethod(self.get(), [self, key, text] {
            if (self)
                Q_EMIT self->loaded(key, text);
        });
    });
}

void DraftKeeper::clear(const QString &key)
{
    if (m_pending && m_pendingKey == key) {
        m_pending = false;
        m_idle.stop();
    }
    write(key, QString());
}

void DraftKeeper::flush()
{
    m_idle.stop();
    if (!m_pending)
        return;
    m_pending = false;
    write(m_pendingKey, m_pendingText);
}

void DraftKeeper::write(const QString &key, const QString &text)
{
    if (key.isEmpty() || !m_engine || !m_engine->engine())
        return;
    QPointer<DraftKeeper> self(this);
    m_engine->post([e = m_engine->engine(), self, key, text] {
        const auto saved = e->saveDraft(key, text);
        if (!saved)
            qWarning() << "could not keep the draft:" << saved.error().message;
        QMetaObject::invokeMethod(self.get(), [self] {
            if (self)
                Q_EMIT self->saved();
        });
    });
}

} // namespace chattermesh::qml

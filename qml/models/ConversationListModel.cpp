// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConversationListModel.h"

#include "EngineThread.h"
#include "LiveState.h"

#include <QPointer>

namespace chattermesh::qml {

using namespace Qt::StringLiterals;
using core::Engine;

ConversationListModel::ConversationListModel(QObject *parent) : QAbstractListModel(parent)
{
    m_stale.setSingleShot(true);
    m_stale.setInterval(0);
    connect(&m_stale, &QTimer::timeout, this, &ConversationListModel::refresh);
}

void ConversationListModel::attach(EngineThread *engine)
{
    m_engine = engine;
    Engine *e = engine->engine();
    const auto stale = [this] { m_stale.start(); };
    connect(e, &Engine::messageAdded, this, stale);
    connect(e, &Engine::messageStateChanged, this, stale);
    connect(e, &Engine::readMarkerChanged, this, stale);
    connect(e, &Engine::groupChanged, this, stale);
    connect(e, &Engine::caughtUp, this, stale);
    connect(e->live(), &core::LiveState::typingChanged, this, stale);
    connect(e->live(), &core::LiveState::presenceChanged, this, stale);
    m_stale.start();
}

void ConversationListModel::refresh()
{
    if (!m_engine || !m_engine->engine())
        return;
    if (m_loading) { // one read at a time; the newest state is read again once it lands
        m_stale.start();
        return;
    }
    m_loading = true;
    Engine *e = m_engine->engine();
    QPointer<ConversationListModel> self(this);
    m_engine->post([e, self] {
        QList<Row> rows;
        auto list = e->conversations();
        // Without them the list still shows; a store that fails says so through storeFailed.
        const auto draftsRead = e->drafts();
        const auto mutedRead = e->mutedConversations();
        const QHash<QString, QString> drafts = draftsRead ? draftsRead.value() : QHash<QString, QString>();
        const QSet<QString> muted = mutedRead ? mutedRead.value() : QSet<QString>();
        if (list) {
            for (const core::ConversationInfo &c : std::as_const(list.value())) {
                if (c.group && !c.isMember && c.lastSeq == 0)
                    continue;
                Row r;
                r.info = c;
                const auto last = e->store().page(c.localId, 0, 1);
                if (last && !last.value().isEmpty()) {
                    const core::StoredMessage &m = last.value().constLast();
                    const QString body = previewOf(e, m);
                    r.preview = c.group && !m.outgoing ? m.sender + u": "_s + body : body;
                }
                if (!c.group)
                    r.presence = e->live()->presence(c.peer);
                r.typists = e->live()->typists(quint64(c.serverId));
                r.draft = drafts.value(keyOf(c));
                r.muted = muted.contains(keyOf(c));
                rows.append(r);
            }
        }
        QMetaObject::invokeMethod(self.get(), [self, rows] {
            if (!self)
                return;
            self->m_loading = false;
            self->apply(rows);
        });
    });
}

void ConversationListModel::apply(const QList<Row> &rows)
{
    bool sameKeys = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameKeys && i < rows.size(); ++i)
        sameKeys = keyOf(rows[i].info) == keyOf(m_rows[i].info);
    if (sameKeys) {
        m_rows = rows;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
    } else {
        const bool countChanges = rows.size() != m_rows.size();
        beginResetModel();
        m_rows = rows;
        endResetModel();
        if (countChanges)
            Q_EMIT countChanged();
    }
    int total = 0;
    QStringList ask; // presence nobody told us yet: asked once each, answered by presenceChanged
    for (const Row &r : std::as_const(m_rows)) {
        total += r.info.unread;
        if (!r.info.group && !r.presence.known && !m_askedPresence.contains(r.info.peer)) {
            m_askedPresence.insert(r.info.peer);
            ask.append(r.info.peer);
        }
    }
    if (!ask.isEmpty() && m_engine && m_engine->engine())
        m_engine->post([e = m_engine->engine(), ask] { e->live()->requestPresence(ask); });
    if (total != m_unreadTotal) {
        m_unreadTotal = total;
        Q_EMIT unreadTotalChanged();
    }
}

void ConversationListModel::retranslate()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return keyOf(r.info);
    case Qt::DisplayRole:
    case TitleRole:
        return r.info.group ? (r.info.title.isEmpty() ? tr("Group") : r.info.title) : r.info.peer;
    case PreviewRole:
        return r.preview;
    case TimeRole:
        return r.info.lastActivityMs;
    case UnreadRole:
        return r.info.unread;
    case GroupRole:
        return r.info.group;
    case OnlineRole:
        return r.presence.online;
    case TypingRole:
        return typingText(r.typists, r.info.group);
    case CurrentRole:
        return keyOf(r.info) == m_currentKey;
    case DraftRole:
        return r.draft;
    case MutedRole:
        return r.muted;
    }
    return {};
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return { { KeyRole, "key" }, { TitleRole, "title" }, { PreviewRole, "preview" }, { TimeRole, "time" },
        { UnreadRole, "unread" }, { GroupRole, "group" }, { OnlineRole, "online" }, { TypingRole, "typing" },
        { CurrentRole, "current" }, { DraftRole, "draft" }, { MutedRole, "muted" } };
}

int ConversationListModel::indexOfKey(const QString &key) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (keyOf(m_rows[i].info) == key)
            return int(i);
    return -1;
}

QString ConversationListModel::previewOf(Engine *e, const core::StoredMessage &m)
{
    if (m.kind != core::MessageKind::Media)
        return m.body;
    const auto media = e->mediaOf(m.localId);
    if (!media || media->kind() != content::Media::VOICE || !media->caption().empty())
        return m.body;
    const qint64 seconds = qint64(media->duration_ms() + 500) / 1000;
    if (seconds == 0)
        return tr("Voice note");
    return tr("Voice note (%1)").arg(u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0')));
}

QString ConversationListModel::keyAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? keyOf(m_rows[row].info) : QString();
}

QString ConversationListModel::titleAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? data(index(row), TitleRole).toString() : QString();
}

void ConversationListModel::setCurrentKey(const QString &key)
{
    if (key == m_currentKey)
        return;
    const int before = indexOfKey(m_currentKey);
    const int after = indexOfKey(key);
    m_currentKey = key;
    for (const int row : { before, after })
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row), { CurrentRole });
    Q_EMIT currentKeyChanged();
}

QString ConversationListModel::keyOf(const core::ConversationInfo &c)
{
    return c.group ? u"#"_s + QString::number(c.serverId) : c.peer;
}

QString ConversationListModel::typingText(const QStringList &typists, bool group)
{
    if (typists.isEmpty())
        return {};
    if (!group)
        return tr("typing…");
    if (typists.size() == 1)
        return tr("%1 is typing…").arg(typists.first());
    return tr("%n people are typing…", nullptr, int(typists.size()));
}

} // namespace chattermesh::qml

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChatModel.h"

#include "ConversationListModel.h"
#include "EngineThread.h"
#include "LiveState.h"

#include <QDateTime>
#include <QLocale>
#include <QPointer>

namespace chattermesh::qml {

using namespace Qt::StringLiterals;
using core::Engine;
using core::MessageKind;
using core::StoredMessage;

namespace {

constexpr qint64 kRunGapMs = 5 * 60 * 1000; // a pause this long starts a new group of bubbles

qint64 shownTime(const StoredMessage &m)
{
    return m.serverTimeMs > 0 ? m.serverTimeMs : m.clientTimeMs;
}

QDate dayOf(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().date();
}

QString kindName(MessageKind k)
{
    switch (k) {
    case MessageKind::Media:
        return u"media"_s;
    case MessageKind::IdentityNotice:
    case MessageKind::GroupEvent:
        return u"notice"_s;
    case MessageKind::Undecryptable:
        return u"undecryptable"_s;
    case MessageKind::Text:
    case MessageKind::Control:
        break;
    }
    return u"text"_s;
}

} // namespace

ChatModel::ChatModel(QObject *parent) : QAbstractListModel(parent) { }

void ChatModel::attach(EngineThread *engine)
{
    m_engine = engine;
    Engine *e = engine->engine();
    connect(e, &Engine::messageAdded, this, &ChatModel::onAdded);
    connect(e, &Engine::messageRepaired, this, &ChatModel::onAdded);
    connect(e, &Engine::messageStateChanged, this, &ChatModel::onStateChanged);
    connect(e, &Engine::transferStarted, this, [this](qint64 id, qint64 offset, qint64 total) {
        onTransfer(id, [&](MediaView &v) {
            v.done = offset;
            v.total = total;
        });
    });
    connect(e, &Engine::transferProgress, this, [this](qint64 id, qint64 done, qint64 total) {
        onTransfer(id, [&](MediaView &v) {
            v.done = done;
            v.total = total;
        });
    });
    connect(e, &Engine::transferChanged, this,
        [this](qint64 id, core::TransferState state, core::MediaError, const QString &why) {
            onTransfer(id, [&](MediaView &v) {
                v.transfer = core::transferStateName(state);
                v.error = why;
                if (state == core::TransferState::Done)
                    v.done = v.total;
            });
            // Sealed: the attachment now has its description (thumbnail, size, duration).
            if (state == core::TransferState::Uploading && m_media.contains(id))
                readMedia(id);
        });
    connect(e->live(), &core::LiveState::typingChanged, this, [this](quint64 conv, const QStringList &who) {
        if (m_serverId == 0 || conv != quint64(m_serverId) || who == m_typists)
            return;
        m_typists = who;
        Q_EMIT typingChanged();
    });
    connect(e->live(), &core::LiveState::presenceChanged, this, [this](const QString &user) {
        if (!m_peer.isEmpty() && user == m_peer)
            readPresence();
    });
}

void ChatModel::open(const QString &key, const QString &title)
{
    if (key == m_key)
        return;
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_days.clear();
    m_ids.clear();
    m_media.clear();
    endResetModel();
    m_key = key;
    m_group = key.startsWith(u'#') ? key.mid(1).toLongLong() : 0;
    m_peer = m_group > 0 ? QString() : key;
    m_title = !title.isEmpty() ? title : m_peer;
    m_serverId = m_group;
    m_typists.clear();
    m_presence = {};
    m_atStart = key.isEmpty();
    Q_EMIT conversationChanged();
    Q_EMIT typingChanged();
    Q_EMIT presenceChanged();
    Q_EMIT countChanged();
    if (key.isEmpty())
        return;
    load(0);
    if (!m_peer.isEmpty()) {
        readPresence();
        m_engine->post([e = m_engine->engine(), peer = m_peer] { e->live()->requestPresence({ peer }); });
    }
}

void ChatModel::load(qint64 beforeSeq)
{
    if (!m_engine || !m_engine->engine())
        return;
    m_loading = true;
    Q_EMIT loadingChanged();
    QPointer<ChatModel> self(this);
    const quint64 generation = m_generation;
    m_engine->post([e = m_engine->engine(), self, generation, beforeSeq, peer = m_peer, group = m_group] {
        auto page = group > 0 ? e->groupHistory(group, beforeSeq, kPage) : e->history(peer, beforeSeq, kPage);
        const QList<StoredMessage> rows = page ? page.value() : QList<StoredMessage> {};
        QHash<qint64, MediaView> media;
        QList<QDate> days; // here rather than on the GUI thread
        days.reserve(rows.size());
        for (const StoredMessage &m : rows) {
            days.append(dayOf(shownTime(m)));
            if (m.kind == MessageKind::Media)
                media.insert(m.localId, MediaView::read(e, m.localId));
        }
        QMetaObject::invokeMethod(self.get(), [self, generation, beforeSeq, rows, days, media] {
            if (self)
                self->onPage(generation, beforeSeq, rows, days, media);
        });
    });
}

void ChatModel::onPage(quint64 generation, qint64 beforeSeq, const QList<StoredMessage> &page,
    const QList<QDate> &days, const QHash<qint64, MediaView> &media)
{
    if (generation != m_generation)
        return;
    for (auto it = media.cbegin(); it != media.cend(); ++it)
        if (!m_media.contains(it.key()))
            m_media.insert(it.key(), it.value());
    m_loading = false;
    qsizetype withSeq = 0;
    for (const StoredMessage &m : page)
        withSeq += m.seq > 0;
    m_atStart = withSeq < kPage;
    QList<StoredMessage> fresh;
    QList<QDate> freshDays;
    for (qsizetype i = 0; i < page.size(); ++i) {
        const StoredMessage &m = page.at(i);
        if (m.kind != MessageKind::Control && !m_ids.contains(m.localId)) {
            fresh.append(m);
            freshDays.append(days.value(i));
        }
    }
    for (const StoredMessage &m : std::as_const(fresh))
        m_ids.insert(m.localId);
    if (beforeSeq == 0) {
        // Rows that arrived live while the page was read are newer than it: they stay after it.
        beginResetModel();
        prepend(fresh, freshDays);
        endResetModel();
    } else if (!fresh.isEmpty()) {
        beginInsertRows({}, 0, int(fresh.size()) - 1);
        prepend(fresh, freshDays);
        endInsertRows();
        if (qsizetype(m_rows.size()) > fresh.size()) // the old first row may no longer start its day or run
            Q_EMIT dataChanged(index(int(fresh.size())), index(int(fresh.size())));
    }
    for (const StoredMessage &m : page) // not every row held: that made each page cost the history
        if (m.conversationServerId > 0)
            m_serverId = m.conversationServerId;
    Q_EMIT loadingChanged();
    Q_EMIT countChanged();
}

void ChatModel::loadOlder()
{
    if (m_key.isEmpty() || m_loading || m_atStart)
        return;
    for (const StoredMessage &m : std::as_const(m_rows))
        if (m.seq > 0)
            return load(m.seq);
}

bool ChatModel::mine(const StoredMessage &m) const
{
    if (m.kind == MessageKind::Control || m_key.isEmpty())
        return false;
    return m_group > 0 ? m.group && m.conversationServerId == m_group : !m.group && m.peer == m_peer;
}

void ChatModel::onAdded(const StoredMessage &m)
{
    if (!mine(m))
        return;
    if (m.conversationServerId > 0)
        m_serverId = m.conversationServerId;
    const int row = rowOfLocalId(m.localId);
    if (row >= 0) {
        m_rows[row] = m;
        m_days[row] = dayOf(shownTime(m)); // the server's time may have replaced the composing time
        Q_EMIT dataChanged(index(row), index(row));
        return;
    }
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.push_back(m);
    m_days.push_back(dayOf(shownTime(m)));
    m_ids.insert(m.localId);
    endInsertRows();
    Q_EMIT countChanged();
    if (m.kind == MessageKind::Media)
        readMedia(m.localId);
}

void ChatModel::readMedia(qint64 localId)
{
    QPointer<ChatModel> self(this);
    m_engine->post([e = m_engine->engine(), self, localId] {
        const MediaView v = MediaView::read(e, localId);
        QMetaObject::invokeMethod(self.get(), [self, localId, v] {
            if (!self)
                return;
            self->m_media.insert(localId, v);
            if (const int row = self->rowOfLocalId(localId); row >= 0)
                Q_EMIT self->dataChanged(self->index(row), self->index(row));
        });
    });
}

void ChatModel::onTransfer(qint64 localId, const std::function<void(MediaView &)> &change)
{
    auto it = m_media.find(localId);
    const int row = rowOfLocalId(localId);
    if (it == m_media.end() || row < 0)
        return;
    change(*it);
    Q_EMIT dataChanged(index(row), index(row), { TransferRole, ProgressRole, FullImageRole });
}

void ChatModel::requestReceipts(qint64 localId)
{
    const int row = rowOfLocalId(localId);
    if (row < 0 || !m_rows[row].outgoing)
        return;
    QPointer<ChatModel> self(this);
    m_engine->post([e = m_engine->engine(), self, localId, id = m_rows[row].clientMsgId] {
        const QList<core::MemberReceipt> receipts = e->receiptsOf(id);
        QMetaObject::invokeMethod(self.get(), [self, localId, receipts] {
            if (!self)
                return;
            QVariantList out;
            for (const core::MemberReceipt &r : receipts)
                out.append(QVariantMap { { u"user"_s, r.username },
                    { u"delivered"_s, r.deliveredMs > 0 ? self->timeText(r.deliveredMs) : QString() },
                    { u"read"_s, r.readMs > 0 ? self->timeText(r.readMs) : QString() } });
            Q_EMIT self->receiptsReady(localId, out);
        });
    });
}

void ChatModel::download(qint64 localId)
{
    m_engine->post([e = m_engine->engine(), localId] { e->download(localId); });
}

void ChatModel::retryTransfer(qint64 localId)
{
    m_engine->post([e = m_engine->engine(), localId] { e->resumeTransfer(localId); });
}

void ChatModel::cancelTransfer(qint64 localId)
{
    m_engine->post([e = m_engine->engine(), localId] { e->cancelTransfer(localId); });
}

void ChatModel::onStateChanged(const core::StateChange &c)
{
    const int row = rowOfLocalId(c.localId);
    if (row < 0 || m_rows[row].state == c.state)
        return;
    m_rows[row].state = c.state;
    Q_EMIT dataChanged(index(row), index(row), { DeliveryRole });
}

void ChatModel::prepend(const QList<StoredMessage> &older, const QList<QDate> &days)
{
    // A page at a time costs the page, not the history.
    m_rows.insert(m_rows.begin(), older.cbegin(), older.cend());
    m_days.insert(m_days.begin(), days.cbegin(), days.cend());
}

int ChatModel::rowOfLocalId(qint64 localId) const
{
    if (!m_ids.contains(localId))
        return -1; // most changes are about other conversations: no scan for them
    // Newest first: live changes are almost always about the last rows.
    for (qsizetype i = qsizetype(m_rows.size()) - 1; i >= 0; --i)
        if (m_rows[i].localId == localId)
            return int(i);
    return -1;
}

void ChatModel::send(const QString &text)
{
    const QString body = text.trimmed();
    if (body.isEmpty() || m_key.isEmpty() || !m_engine)
        return;
    QPointer<ChatModel> self(this);
    m_engine->post([e = m_engine->engine(), self, body, peer = m_peer, group = m_group] {
        auto r = group > 0 ? e->sendGroupText(group, body) : e->sendText(peer, body);
        if (r)
            return; // messageAdded shows it
        const QString why = r.error().message;
        QMetaObject::invokeMethod(self.get(), [self, why] {
            if (self)
                Q_EMIT self->sendFailed(why);
        });
    });
}

void ChatModel::sendFile(const QUrl &file, const QString &caption)
{
    if (!file.isLocalFile())
        return;
    sendMedia(file.toLocalFile(), caption.trimmed(), false);
}

void ChatModel::sendVoiceNote(const QString &path)
{
    sendMedia(path, QString(), true);
}

void ChatModel::sendMedia(const QString &path, const QString &caption, bool voiceNote)
{
    if (m_key.isEmpty() || !m_engine)
        return;
    QPointer<ChatModel> self(this);
    m_engine->post([e = m_engine->engine(), self, path, caption, voiceNote, peer = m_peer, group = m_group] {
        auto r = voiceNote ? e->sendVoiceNote({ peer, group }, path)
                           : e->sendMedia({ peer, group }, path, caption);
        if (r)
            return; // messageAdded shows it, with its progress
        const QString why = r.error().message;
        QMetaObject::invokeMethod(self.get(), [self, why] {
            if (self)
                Q_EMIT self->sendFailed(why);
        });
    });
}

void ChatModel::composerChanged(const QString &text)
{
    if (m_serverId == 0 || !m_engine)
        return; // a conversation the server has not seen yet has nobody to tell
    m_engine->post([e = m_engine->engine(), conv = m_serverId, text] { e->composerChanged(conv, text); });
}

void ChatModel::markAllRead()
{
    if (m_serverId == 0 || !m_engine)
        return;
    qint64 seq = 0;
    for (const StoredMessage &m : std::as_const(m_rows))
        seq = std::max(seq, m.seq);
    if (seq > 0)
        m_engine->post([e = m_engine->engine(), conv = m_serverId, seq] { e->markRead(conv, seq); });
}

void ChatModel::readPresence()
{
    QPointer<ChatModel> self(this);
    m_engine->post([e = m_engine->engine(), self, peer = m_peer] {
        const core::PresenceState p = e->live()->presence(peer);
        QMetaObject::invokeMethod(self.get(), [self, peer, p] {
            if (!self || self->m_peer != peer || self->m_presence == p)
                return;
            self->m_presence = p;
            Q_EMIT self->presenceChanged();
        });
    });
}

QString ChatModel::typingText() const
{
    return ConversationListModel::typingText(m_typists, m_group > 0);
}

QString ChatModel::presenceText() const
{
    if (!m_presence.known || m_presence.hidden)
        return {};
    if (m_presence.online)
        return tr("online");
    if (m_presence.lastSeenMs <= 0)
        return tr("offline");
    const QDateTime seen = QDateTime::fromMSecsSinceEpoch(m_presence.lastSeenMs).toLocalTime();
    const QString time = shortTime(seen.time());
    const QDate today = QDate::currentDate();
    if (seen.date() == today)
        return tr("last seen today at %1").arg(time);
    if (seen.date() == today.addDays(-1))
        return tr("last seen yesterday at %1").arg(time);
    return tr("last seen %1 at %2").arg(QLocale().toString(seen.date(), QLocale::ShortFormat), time);
}

void ChatModel::retranslate()
{
    Q_EMIT typingChanged();
    Q_EMIT presenceChanged();
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
}

QString ChatModel::dayText(qint64 ms) const
{
    return textOfDay(dayOf(ms));
}

QString ChatModel::textOfDay(QDate day) const
{
    const QDate today = QDate::currentDate();
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

QString ChatModel::timeText(qint64 ms) const
{
    return shortTime(QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().time());
}

QString ChatModel::shortTime(QTime t)
{
    // Hours and minutes in the locale's order and clock; some locales' short format has seconds.
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    format.remove(QStringLiteral(":ss"));
    return QLocale().toString(t, format);
}

QString ChatModel::whenText(qint64 ms) const
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    const QDate today = QDate::currentDate();
    if (at.date() == today)
        return shortTime(at.time());
    if (at.date() == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(at.date(), QLocale::ShortFormat);
}

int ChatModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ChatModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const StoredMessage &m = m_rows.at(row);
    const StoredMessage *prev = row > 0 ? &m_rows.at(row - 1) : nullptr;
    const bool newDay = !prev || m_days.at(row - 1) != m_days.at(row);
    switch (role) {
    case Qt::DisplayRole:
    case BodyRole:
        return m.body;
    case OutgoingRole:
        return m.outgoing;
    case SenderRole:
        return m.sender;
    case DeliveryRole:
        return core::stateName(m.state);
    case TimeRole:
        return shownTime(m);
    case KindRole:
        return kindName(m.kind);
    case FirstOfDayRole:
        return newDay;
    case FirstOfRunRole:
        return newDay || prev->sender != m.sender || prev->outgoing != m.outgoing
            || shownTime(m) - shownTime(*prev) > kRunGapMs;
    case ErrorRole:
        return m.error;
    case GroupChatRole:
        return m_group > 0;
    case LocalIdRole:
        return m.localId;
    case DayTextRole:
        return textOfDay(m_days.at(row));
    }
    if (role >= MediaKindRole && role <= ProgressRole)
        return mediaData(m.localId, role);
    return {};
}

QHash<int, QByteArray> ChatModel::roleNames() const
{
    return { { BodyRole, "body" }, { OutgoingRole, "outgoing" }, { SenderRole, "sender" },
        { DeliveryRole, "delivery" }, { TimeRole, "time" }, { KindRole, "kind" },
        { FirstOfDayRole, "firstOfDay" }, { FirstOfRunRole, "firstOfRun" }, { ErrorRole, "error" },
        { GroupChatRole, "groupChat" }, { LocalIdRole, "localId" }, { DayTextRole, "dayText" },
        { MediaKindRole, "mediaKind" }, { MediaNameRole, "mediaName" }, { MediaSizeRole, "mediaSize" },
        { MediaWidthRole, "mediaWidth" }, { MediaHeightRole, "mediaHeight" }, { DurationRole, "duration" },
        { ThumbnailRole, "thumbnail" }, { FullImageRole, "fullImage" }, { TransferRole, "transfer" },
        { ProgressRole, "progress" } };
}

QVariant ChatModel::mediaData(qint64 localId, int role) const
{
    const auto it = m_media.constFind(localId);
    const MediaView v = it == m_media.cend() ? MediaView {} : *it;
    const QString id = QString::number(localId);
    switch (role) {
    case MediaKindRole:
        return v.kind;
    case MediaNameRole:
        return v.name;
    case MediaSizeRole:
        return v.size;
    case MediaWidthRole:
        return v.width;
    case MediaHeightRole:
        return v.height;
    case DurationRole:
        return v.durationMs;
    case ThumbnailRole:
        return v.hasThumbnail ? u"image://chattermesh/thumb/"_s + id : QString();
    case FullImageRole:
        return v.kind == u"image" && v.readable() ? u"image://chattermesh/full/"_s + id : QString();
    case TransferRole:
        return v.transfer;
    case ProgressRole:
        return v.total > 0 ? double(v.done) / double(v.total) : 0.0;
    }
    return {};
}

} // namespace chattermesh::qml

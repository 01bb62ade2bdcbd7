// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteUsers.h"

#include "ServerLog.h"
#include "SqliteDatabase.h"

using namespace Qt::StringLiterals;

namespace chattermesh::server {

Failure<proto::ErrorCode> SqliteUsers::internal(const char *what) const
{
    qCWarning(lcServer) << "store:" << what << "failed:" << m_db.lastError();
    return Failure<proto::ErrorCode> { proto::INTERNAL, u"storage failure"_s };
}

StoreResult<proto::Settings> SqliteUsers::settings(quint64 userId)
{
    SqliteStatement select
        = m_db.prepare("SELECT presence_visibility, read_receipts_off FROM users WHERE id = ?");
    if (!select.bindInt(1, qint64(userId)).nextRow())
        return internal("settings read");
    proto::Settings out;
    out.set_presence_visibility(proto::Visibility(select.int64(0)));
    out.set_read_receipts_off(select.int64(1) != 0);
    return out;
}

StoreResult<proto::Settings> SqliteUsers::updateSettings(quint64 userId, const proto::Settings &settings)
{
    SqliteStatement update
        = m_db.prepare("UPDATE users SET presence_visibility = ?, read_receipts_off = ? WHERE id = ?");
    update.bindInt(1, int(settings.presence_visibility())).bindInt(2, settings.read_receipts_off() ? 1 : 0);
    if (!update.bindInt(3, qint64(userId)).run())
        return internal("settings write");
    return this->settings(userId);
}

std::optional<bool> SqliteUsers::share(quint64 a, quint64 b, bool directOnly)
{
    SqliteStatement select
        = m_db.prepare("SELECT 1 FROM members x JOIN members y ON y.conversation_id = x.conversation_id "
                       "JOIN conversations c ON c.id = x.conversation_id "
                       "WHERE x.user_id = ? AND y.user_id = ? AND (? = 0 OR c.kind = 0) LIMIT 1");
    select.bindInt(1, qint64(a)).bindInt(2, qint64(b)).bindInt(3, directOnly ? 1 : 0);
    if (select.nextRow())
        return true;
    if (select.failed())
        return std::nullopt;
    return false;
}

StoreResult<PresenceAudience> SqliteUsers::presenceChanged(quint64 userId, bool online, qint64 nowMs)
{
    if (!online) {
        SqliteStatement update = m_db.prepare("UPDATE users SET last_seen_ms = ? WHERE id = ?");
        if (!update.bindInt(1, nowMs).bindInt(2, qint64(userId)).run())
            return internal("last seen write");
    }
    SqliteStatement user
        = m_db.prepare("SELECT username, last_seen_ms, presence_visibility FROM users WHERE id = ?");
    if (!user.bindInt(1, qint64(userId)).nextRow())
        return internal("presence user");
    PresenceAudience audience;
    audience.username = user.text(0);
    audience.lastSeenMs = user.int64(1);
    const auto visibility = proto::Visibility(user.int64(2));
    if (visibility == proto::NOBODY)
        return audience;
    SqliteStatement select = m_db.prepare(
        "SELECT DISTINCT y.user_id FROM members x JOIN members y ON y.conversation_id = x.conversation_id "
        "JOIN conversations c ON c.id = x.conversation_id "
        "WHERE x.user_id = ? AND y.user_id != x.user_id AND (? = 0 OR c.kind = 0)");
    select.bindInt(1, qint64(userId)).bindInt(2, visibility == proto::CONTACTS ? 1 : 0);
    while (select.nextRow())
        audience.viewers.push_back(quint64(select.int64(0)));
    if (select.failed())
        return internal("presence audience");
    return audience;
}

StoreResult<std::vector<PresenceEntry>> SqliteUsers::presenceOf(
    quint64 askerUser, const QStringList &usernames)
{
    std::vector<PresenceEntry> out;
    for (const QString &name : usernames) {
        SqliteStatement user
            = m_db.prepare("SELECT id, last_seen_ms, presence_visibility FROM users WHERE username = ?");
        if (!user.bindText(1, name).nextRow()) {
            if (user.failed())
                return internal("presence lookup");
            continue; // unknown names are left out
        }
        PresenceEntry entry { quint64(user.int64(0)), name, user.int64(1), false };
        const auto visibility = proto::Visibility(user.int64(2));
        if (entry.userId == askerUser) {
            entry.visible = true;
        } else if (visibility != proto::NOBODY) {
            const auto shared = share(askerUser, entry.userId, visibility == proto::CONTACTS);
            if (!shared)
                return internal("presence share lookup");
            entry.visible = *shared;
        }
        out.push_back(std::move(entry));
    }
    return out;
}

} // namespace chattermesh::server

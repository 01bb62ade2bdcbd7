// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteGroups.h"

#include "ServerLog.h"
#include "SqliteDatabase.h"
#include "SqliteMailbox.h"

#include <QSet>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kConversationGroup = 1;

Failure<proto::ErrorCode> fail(proto::ErrorCode code, const QString &message)
{
    return Failure<proto::ErrorCode> { code, message };
}

} // namespace

Failure<proto::ErrorCode> SqliteGroups::internal(const char *what) const
{
    qCWarning(lcServer) << "store:" << what << "failed:" << m_db.lastError();
    return fail(proto::INTERNAL, u"storage failure"_s);
}

std::optional<std::vector<SqliteGroups::Member>> SqliteGroups::members(quint64 conversationId)
{
    // rowid order is joining order: a re-added member is a new row, so it counts from its return.
    SqliteStatement select = m_db.prepare("SELECT m.user_id, u.username, m.role FROM members m "
                                          "JOIN users u ON u.id = m.user_id "
                                          "WHERE m.conversation_id = ? ORDER BY m.rowid");
    select.bindInt(1, qint64(conversationId));
    std::vector<Member> out;
    while (select.nextRow())
        out.push_back(Member { quint64(select.int64(0)), select.text(1), int(select.int64(2)) });
    if (select.failed())
        return std::nullopt;
    return out;
}

std::optional<proto::GroupInfo> SqliteGroups::state(quint64 conversationId)
{
    SqliteStatement group = m_db.prepare("SELECT title, only_admins_send FROM conversations WHERE id = ?");
    if (!group.bindInt(1, qint64(conversationId)).nextRow())
        return std::nullopt;
    proto::GroupInfo info;
    info.set_conversation_id(conversationId);
    info.set_title(group.text(0).toStdString());
    info.set_only_admins_send(group.int64(1) != 0);
    SqliteStatement select = m_db.prepare("SELECT u.username, m.role FROM members m "
                                          "JOIN users u ON u.id = m.user_id "
                                          "WHERE m.conversation_id = ? ORDER BY u.username");
    select.bindInt(1, qint64(conversationId));
    while (select.nextRow()) {
        proto::Member *member = info.add_members();
        member->set_username(select.text(0).toStdString());
        member->set_role(proto::Role(select.int64(1)));
    }
    if (select.failed())
        return std::nullopt;
    return info;
}

StoreResult<std::vector<SqliteGroups::Member>> SqliteGroups::resolve(const QStringList &usernames)
{
    std::vector<Member> out;
    QSet<QString> seen;
    for (const QString &name : usernames) {
        if (seen.contains(name))
            return fail(proto::INVALID_ARGUMENT, u"a username is listed twice"_s);
        seen.insert(name);
        SqliteStatement user = m_db.prepare("SELECT id FROM users WHERE username = ?");
        if (!user.bindText(1, name).nextRow())
            return user.failed() ? internal("user lookup")
                                 : fail(proto::USER_NOT_FOUND, u"no such user: %1"_s.arg(name));
        out.push_back(Member { quint64(user.int64(0)), name, proto::MEMBER });
    }
    return out;
}

bool SqliteGroups::setRole(quint64 conversationId, quint64 userId, int role)
{
    SqliteStatement update
        = m_db.prepare("UPDATE members SET role = ? WHERE conversation_id = ? AND user_id = ?");
    return update.bindInt(1, role).bindInt(2, qint64(conversationId)).bindInt(3, qint64(userId)).run();
}

StoreResult<GroupOutcome> SqliteGroups::change(const GroupRequest &request)
{
    if (request.op == proto::CREATED)
        return create(request);
    const quint64 conversationId = request.conversationId;
    {
        SqliteStatement kind = m_db.prepare("SELECT kind FROM conversations WHERE id = ?");
        if (!kind.bindInt(1, qint64(conversationId)).nextRow() || kind.int64(0) != kConversationGroup)
            return kind.failed() ? internal("group lookup")
                                 : fail(proto::CONVERSATION_NOT_FOUND, u"no such group"_s);
    }
    auto current = members(conversationId);
    if (!current)
        return internal("member list");
    const auto actor = std::find_if(
        current->begin(), current->end(), [&](const Member &m) { return m.userId == request.actorUser; });
    if (actor == current->end())
        return fail(proto::CONVERSATION_NOT_FOUND, u"no such group"_s);
    const Member actorCopy = *actor;
    std::vector<quint64> audience;
    for (const Member &m : *current)
        audience.push_back(m.userId);
    QStringList named;
    StoreResult<Unit> applied = apply(request, *current, actorCopy, audience, named);
    if (!applied.ok())
        return applied.error();
    return record(request, conversationId, actorCopy.username, named, audience);
}

StoreResult<Unit> SqliteGroups::apply(const GroupRequest &request, std::vector<Member> &members,
    const Member &actor, std::vector<quint64> &audience, QStringList &named)
{
    const quint64 conversationId = request.conversationId;
    auto find = [&](const QString &name) {
        return std::find_if(
            members.begin(), members.end(), [&](const Member &m) { return m.username == name; });
    };
    if (request.op == proto::LEFT) {
        named = { actor.username };
        SqliteStatement drop = m_db.prepare("DELETE FROM members WHERE conversation_id = ? AND user_id = ?");
        if (!drop.bindInt(1, qint64(conversationId)).bindInt(2, qint64(actor.userId)).run())
            return internal("member delete");
        std::erase_if(members, [&](const Member &m) { return m.userId == actor.userId; });
        if (actor.role == proto::OWNER && !members.empty()) {
            // Ownership passes to the longest-standing admin, else the longest-standing member.
            auto heir = std::find_if(
                members.begin(), members.end(), [](const Member &m) { return m.role == proto::ADMIN; });
            if (heir == members.end())
                heir = members.begin();
            if (!setRole(conversationId, heir->userId, proto::OWNER))
                return internal("ownership transfer");
        }
        return Unit {};
    }
    if (actor.role < proto::ADMIN)
        return fail(proto::PERMISSION_DENIED, u"only admins may change the group"_s);
    switch (request.op) {
    case proto::RENAMED: {
        SqliteStatement update = m_db.prepare("UPDATE conversations SET title = ? WHERE id = ?");
        if (!update.bindText(1, request.title).bindInt(2, qint64(conversationId)).run())
            return internal("rename");
        return Unit {};
    }
    case proto::SEND_POLICY: {
        SqliteStatement update = m_db.prepare("UPDATE conversations SET only_admins_send = ? WHERE id = ?");
        if (!update.bindInt(1, request.onlyAdminsSend ? 1 : 0).bindInt(2, qint64(conversationId)).run())
            return internal("send policy");
        return Unit {};
    }
    default:
        break;
    }
    if (request.usernames.isEmpty())
        return fail(proto::INVALID_ARGUMENT, u"usernames is required"_s);
    if (QSet<QString>(request.usernames.begin(), request.usernames.end()).size() != request.usernames.size())
        return fail(proto::INVALID_ARGUMENT, u"a username is listed twice"_s);
    named = request.usernames;
    if (request.op == proto::ADDED) {
        auto added = resolve(request.usernames);
        if (!added.ok())
            return added.error();
        for (const Member &m : added.value())
            if (find(m.username) != members.end())
                return fail(proto::INVALID_ARGUMENT, u"%1 is already a member"_s.arg(m.username));
        if (members.size() + added.value().size() > size_t(request.maxMembers))
            return fail(proto::GROUP_FULL, u"a group has at most %1 members"_s.arg(request.maxMembers));
        for (const Member &m : added.value()) {
            SqliteStatement insert
                = m_db.prepare("INSERT INTO members(conversation_id, user_id, role, last_read_seq) "
                               "VALUES(?, ?, ?, (SELECT next_seq - 1 FROM conversations WHERE id = ?))");
            insert.bindInt(1, qint64(conversationId)).bindInt(2, qint64(m.userId)).bindInt(3, proto::MEMBER);
            if (!insert.bindInt(4, qint64(conversationId)).run())
                return internal("member insert");
            audience.push_back(m.userId);
        }
        return Unit {};
    }
    if (request.op != proto::REMOVED && request.op != proto::PROMOTED && request.op != proto::DEMOTED)
        return fail(proto::INVALID_ARGUMENT, u"unknown group operation"_s);
    // Check every name before changing anything.
    for (const QString &name : request.usernames) {
        const auto target = find(name);
        if (target == members.end())
            return fail(proto::INVALID_ARGUMENT, u"%1 is not a member"_s.arg(name));
        if (target->role == proto::OWNER && request.op != proto::PROMOTED)
            return fail(proto::PERMISSION_DENIED, u"the owner cannot be removed or demoted"_s);
        if (request.op == proto::PROMOTED && target->role != proto::MEMBER)
            return fail(proto::INVALID_ARGUMENT, u"%1 is already an admin"_s.arg(name));
        if (request.op == proto::DEMOTED && target->role != proto::ADMIN)
            return fail(proto::INVALID_ARGUMENT, u"%1 is not an admin"_s.arg(name));
    }
    for (const QString &name : request.usernames) {
        const quint64 user = find(name)->userId;
        if (request.op == proto::REMOVED) {
            SqliteStatement drop
                = m_db.prepare("DELETE FROM members WHERE conversation_id = ? AND user_id = ?");
            if (!drop.bindInt(1, qint64(conversationId)).bindInt(2, qint64(user)).run())
                return internal("member delete");
        } else if (!setRole(
                       conversationId, user, request.op == proto::PROMOTED ? proto::ADMIN : proto::MEMBER)) {
            return internal("role change");
        }
    }
    return Unit {};
}

StoreResult<GroupOutcome> SqliteGroups::create(const GroupRequest &request)
{
    QStringList others;
    SqliteStatement self = m_db.prepare("SELECT username FROM users WHERE id = ?");
    if (!self.bindInt(1, qint64(request.actorUser)).nextRow())
        return internal("creator lookup");
    const QString creator = self.text(0);
    for (const QString &name : request.usernames)
        if (name != creator && !others.contains(name))
            others.append(name); // the creator and repeated names count once
    auto resolved = resolve(others);
    if (!resolved.ok())
        return resolved.error();
    if (1 + resolved.value().size() > size_t(request.maxMembers))
        return fail(proto::GROUP_FULL, u"a group has at most %1 members"_s.arg(request.maxMembers));
    SqliteStatement insert
        = m_db.prepare("INSERT INTO conversations(kind, title, only_admins_send) VALUES(?, ?, ?)");
    if (!insert.bindInt(1, kConversationGroup)
             .bindText(2, request.title)
             .bindInt(3, request.onlyAdminsSend)
             .run())
        return internal("group insert");
    const quint64 conversationId = quint64(m_db.lastInsertId());
    std::vector<quint64> audience { request.actorUser };
    std::vector<Member> all { Member { request.actorUser, creator, proto::OWNER } };
    for (const Member &m : resolved.value()) {
        all.push_back(m);
        audience.push_back(m.userId);
    }
    for (const Member &m : all) {
        SqliteStatement member
            = m_db.prepare("INSERT INTO members(conversation_id, user_id, role) VALUES(?, ?, ?)");
        if (!member.bindInt(1, qint64(conversationId)).bindInt(2, qint64(m.userId)).bindInt(3, m.role).run())
            return internal("member insert");
    }
    return record(request, conversationId, creator, others, audience);
}

StoreResult<GroupOutcome> SqliteGroups::record(const GroupRequest &request, quint64 conversationId,
    const QString &actor, const QStringList &named, const std::vector<quint64> &audience)
{
    const auto next = SqliteMailbox::nextSeq(m_db, conversationId);
    if (!next)
        return internal("seq allocation");
    const quint64 seq = *next;
    auto info = state(conversationId);
    if (!info)
        return internal("group state");
    GroupOutcome outcome;
    proto::Message &message = outcome.message;
    message.mutable_conversation()->set_conversation_id(conversationId);
    message.mutable_conversation()->set_kind(proto::GROUP);
    message.set_seq(seq);
    message.set_sender(actor.toStdString());
    message.set_sender_device(request.actorDevice);
    message.set_server_time_ms(request.nowMs);
    proto::GroupEvent *event = message.mutable_event();
    event->set_op(request.op);
    event->set_actor(actor.toStdString());
    for (const QString &name : named)
        event->add_usernames(name.toStdString());
    *event->mutable_state() = std::move(*info);
    SqliteStatement insert
        = m_db.prepare("INSERT INTO messages(conversation_id, seq, sender_user, sender_device, "
                       "server_time_ms, event) VALUES(?, ?, ?, ?, ?, ?)");
    insert.bindInt(1, qint64(conversationId)).bindInt(2, qint64(seq)).bindInt(3, qint64(request.actorUser));
    insert.bindInt(4, qint64(request.actorDevice)).bindInt(5, request.nowMs);
    if (!insert.bindBlob(6, event->SerializeAsString()).run())
        return internal("event insert");
    for (quint64 user : audience) {
        SqliteStatement devices = m_db.prepare("SELECT id FROM devices WHERE user_id = ? AND removed = 0");
        devices.bindInt(1, qint64(user));
        std::vector<quint64> ids;
        while (devices.nextRow())
            ids.push_back(quint64(devices.int64(0)));
        if (devices.failed())
            return internal("device lookup");
        for (quint64 device : ids) {
            const auto inboxSeq = m_mailbox.addMessage(device, conversationId, seq);
            if (!inboxSeq)
                return internal("event mailbox insert");
            outcome.recipients.push_back(Recipient { device, *inboxSeq });
        }
    }
    auto after = memberIds(conversationId);
    if (!after.ok())
        return after.error();
    outcome.membersAfter = std::move(after.value());
    outcome.ack.set_conversation_id(conversationId);
    outcome.ack.set_seq(seq);
    outcome.ack.set_server_time_ms(request.nowMs);
    return outcome;
}

StoreResult<proto::GroupInfo> SqliteGroups::info(quint64 userId, quint64 conversationId)
{
    SqliteStatement member
        = m_db.prepare("SELECT 1 FROM members m JOIN conversations c ON c.id = m.conversation_id "
                       "WHERE m.conversation_id = ? AND m.user_id = ? AND c.kind = ?");
    member.bindInt(1, qint64(conversationId)).bindInt(2, qint64(userId)).bindInt(3, kConversationGroup);
    if (!member.nextRow())
        return member.failed() ? internal("membership lookup")
                               : fail(proto::CONVERSATION_NOT_FOUND, u"no such group"_s);
    auto info = state(conversationId);
    if (!info)
        return internal("group state");
    return *info;
}

StoreResult<std::vector<quint64>> SqliteGroups::memberIds(quint64 conversationId)
{
    SqliteStatement select = m_db.prepare("SELECT user_id FROM members WHERE conversation_id = ?");
    select.bindInt(1, qint64(conversationId));
    std::vector<quint64> out;
    while (select.nextRow())
        out.push_back(quint64(select.int64(0)));
    if (select.failed())
        return internal("member ids");
    return out;
}

} // namespace chattermesh::server

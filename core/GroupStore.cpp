// SPDX-License-Identifier: GPL-3.0-or-later
#include "GroupStore.h"

#include <QCoreApplication>
#include <sqlite3.h>

namespace chattermesh::core {

namespace {

QString names(const google::protobuf::RepeatedPtrField<std::string> &users)
{
    QStringList out;
    for (const auto &u : users)
        out << QString::fromStdString(u);
    return out.join(QStringLiteral(", "));
}

QString tr(const char *text)
{
    return QCoreApplication::translate("GroupStore", text);
}

} // namespace

StoreResult<qint64> GroupStore::ensureGroup(qint64 serverId)
{
    auto &q = m_db.prepared("SELECT local_id FROM conversations WHERE server_id = ?");
    if (q.bind(1, serverId).step())
        return q.int64(0);
    q.reset();
    auto &ins = m_db.prepared("INSERT INTO conversations(server_id, kind) VALUES(?, 1)");
    if (ins.bind(1, serverId).exec() != SQLITE_DONE)
        return m_db.failure("insert group");
    return m_db.lastInsertId();
}

StoreResult<Unit> GroupStore::applyEvent(
    qint64 conversation, const proto::GroupEvent &event, const QString &me)
{
    const proto::GroupInfo &state = event.state();
    bool member = false;
    for (const auto &m : state.members())
        member = member || QString::fromStdString(m.username()) == me;
    const bool departure = event.op() == proto::REMOVED || event.op() == proto::LEFT;
    auto &upd = m_db.prepared("UPDATE conversations SET kind = 1, title = ?, only_admins_send = ?, "
                              "is_member = ?, rekey = max(rekey, ?) WHERE local_id = ?");
    upd.bind(1, QString::fromStdString(state.title())).bind(2, state.only_admins_send() ? 1 : 0);
    upd.bind(3, member ? 1 : 0).bind(4, departure ? 1 : 0).bind(5, conversation);
    if (upd.exec() != SQLITE_DONE)
        return m_db.failure("update group");
    if (m_db.prepared("DELETE FROM group_members WHERE conv = ?").bind(1, conversation).exec() != SQLITE_DONE)
        return m_db.failure("clear group members");
    for (const auto &m : state.members()) {
        auto &ins = m_db.prepared("INSERT INTO group_members(conv, username, role) VALUES(?, ?, ?)");
        ins.bind(1, conversation).bind(2, QString::fromStdString(m.username())).bind(3, qint64(m.role()));
        if (ins.exec() != SQLITE_DONE)
            return m_db.failure("insert group member");
    }
    if (departure
        && m_db.prepared("DELETE FROM sender_key_holders WHERE conv = ?").bind(1, conversation).exec()
            != SQLITE_DONE)
        return m_db.failure("forget sender key holders");
    return Unit {};
}

std::optional<GroupState> GroupStore::group(qint64 serverId)
{
    auto &q = m_db.prepared("SELECT local_id, title, only_admins_send, is_member FROM conversations "
                            "WHERE server_id = ? AND kind = 1");
    if (!q.bind(1, serverId).step())
        return std::nullopt;
    GroupState g;
    g.conversation = q.int64(0);
    g.serverId = serverId;
    g.title = q.text(1);
    g.onlyAdminsSend = q.int64(2) != 0;
    g.isMember = q.int64(3) != 0;
    q.reset();
    auto &m = m_db.prepared("SELECT username, role FROM group_members WHERE conv = ? ORDER BY username");
    m.bind(1, g.conversation);
    while (m.step())
        g.members.append({ m.text(0), proto::Role(m.int64(1)) });
    return g;
}

bool GroupStore::isGroup(qint64 conversation)
{
    auto &q = m_db.prepared("SELECT kind FROM conversations WHERE local_id = ?");
    return q.bind(1, conversation).step() && q.int64(0) == 1;
}

QStringList GroupStore::members(qint64 conversation)
{
    auto &q = m_db.prepared("SELECT username FROM group_members WHERE conv = ? ORDER BY username");
    q.bind(1, conversation);
    QStringList out;
    while (q.step())
        out << q.text(0);
    return out;
}

bool GroupStore::needsRekey(qint64 conversation)
{
    auto &q = m_db.prepared("SELECT rekey FROM conversations WHERE local_id = ?");
    return q.bind(1, conversation).step() && q.int64(0) != 0;
}

StoreResult<Unit> GroupStore::rekeyDone(qint64 conversation)
{
    if (m_db.prepared("UPDATE conversations SET rekey = 0 WHERE local_id = ?").bind(1, conversation).exec()
        != SQLITE_DONE)
        return m_db.failure("clear rekey");
    if (m_db.prepared("DELETE FROM sender_key_holders WHERE conv = ?").bind(1, conversation).exec()
        != SQLITE_DONE)
        return m_db.failure("forget sender key holders");
    return Unit {};
}

StoreResult<Unit> GroupStore::rekeyGroupsOf(const QString &username)
{
    auto &q = m_db.prepared("UPDATE conversations SET rekey = 1 WHERE kind = 1 AND local_id IN "
                            "(SELECT conv FROM group_members WHERE username = ?)");
    if (q.bind(1, username).exec() != SQLITE_DONE)
        return m_db.failure("mark groups for rekey");
    return Unit {};
}

QSet<qint64> GroupStore::holders(qint64 conversation)
{
    auto &q = m_db.prepared("SELECT device FROM sender_key_holders WHERE conv = ?");
    q.bind(1, conversation);
    QSet<qint64> out;
    while (q.step())
        out.insert(q.int64(0));
    return out;
}

StoreResult<Unit> GroupStore::addHolders(qint64 conversation, const QList<qint64> &devices)
{
    for (qint64 d : devices) {
        auto &ins = m_db.prepared("INSERT OR IGNORE INTO sender_key_holders(conv, device) VALUES(?, ?)");
        if (ins.bind(1, conversation).bind(2, d).exec() != SQLITE_DONE)
            return m_db.failure("record sender key holder");
    }
    return Unit {};
}

StoreResult<Unit> GroupStore::forgetHolders(qint64 conversation)
{
    auto &q = m_db.prepared("DELETE FROM sender_key_holders WHERE ? = 0 OR conv = ?");
    if (q.bind(1, conversation).bind(2, conversation).exec() != SQLITE_DONE)
        return m_db.failure("forget sender key holders");
    return Unit {};
}

StoreResult<Unit> GroupStore::forgetHolder(qint64 conversation, qint64 device)
{
    auto &q = m_db.prepared("DELETE FROM sender_key_holders WHERE conv = ? AND device = ?");
    if (q.bind(1, conversation).bind(2, device).exec() != SQLITE_DONE)
        return m_db.failure("forget sender key holder");
    return Unit {};
}

QString GroupStore::describe(const proto::GroupEvent &e, const QString &me)
{
    const QString actor
        = QString::fromStdString(e.actor()) == me ? tr("You") : QString::fromStdString(e.actor());
    switch (e.op()) {
    case proto::CREATED:
        return tr("%1 created the group \u201c%2\u201d")
            .arg(actor, QString::fromStdString(e.state().title()));
    case proto::RENAMED:
        return tr("%1 renamed the group to \u201c%2\u201d")
            .arg(actor, QString::fromStdString(e.state().title()));
    case proto::ADDED:
        return tr("%1 added %2").arg(actor, names(e.usernames()));
    case proto::REMOVED:
        return tr("%1 removed %2").arg(actor, names(e.usernames()));
    case proto::LEFT:
        return tr("%1 left").arg(actor);
    case proto::PROMOTED:
        return tr("%1 made %2 an admin").arg(actor, names(e.usernames()));
    case proto::DEMOTED:
        return tr("%1 made %2 a member").arg(actor, names(e.usernames()));
    case proto::SEND_POLICY:
        return e.state().only_admins_send() ? tr("%1 allowed only admins to send").arg(actor)
                                            : tr("%1 allowed everyone to send").arg(actor);
    default:
        return tr("%1 changed the group").arg(actor);
    }
}

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreTypes.h"

namespace chattermesh::server {

class SqliteDatabase;
class SqliteMailbox;

// Groups inside the SQLite store: membership with roles, the permission rules of every change, and
// each change recorded as a seq-numbered system event (a message row with a GroupEvent and no
// payload) in the mailboxes of every device of every member before and after it. Writer thread only.
class SqliteGroups {
public:
    SqliteGroups(SqliteDatabase &db, SqliteMailbox &mailbox) : m_db(db), m_mailbox(mailbox) { }

    StoreResult<GroupOutcome> change(const GroupRequest &request);
    StoreResult<proto::GroupInfo> info(quint64 userId, quint64 conversationId);
    StoreResult<std::vector<quint64>> memberIds(quint64 conversationId);

private:
    struct Member {
        quint64 userId = 0;
        QString username;
        int role = proto::MEMBER;
    };

    StoreResult<GroupOutcome> create(const GroupRequest &request);
    // Applies op to the group whose members (in joining order) are `members`.
    StoreResult<Unit> apply(const GroupRequest &request, std::vector<Member> &members, const Member &actor,
        std::vector<quint64> &audience, QStringList &named);
    StoreResult<GroupOutcome> record(const GroupRequest &request, quint64 conversationId,
        const QString &actor, const QStringList &named, const std::vector<quint64> &audience);
    std::optional<std::vector<Member>> members(quint64 conversationId);
    std::optional<proto::GroupInfo> state(quint64 conversationId);
    // USER_NOT_FOUND for any unknown name, INVALID_ARGUMENT for a name given twice.
    StoreResult<std::vector<Member>> resolve(const QStringList &usernames);
    bool setRole(quint64 conversationId, quint64 userId, int role);
    Failure<proto::ErrorCode> internal(const char *what) const;

    SqliteDatabase &m_db;
    SqliteMailbox &m_mailbox;
};

} // namespace chattermesh::server

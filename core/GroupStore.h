// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MessageTypes.h"
#include "SqlDatabase.h"
#include "chattermesh.pb.h"

#include <QSet>
#include <optional>

namespace chattermesh::core {

struct GroupMember {
    QString username;
    proto::Role role = proto::MEMBER;
};

struct GroupState {
    qint64 conversation = 0; // local id
    qint64 serverId = 0;
    QString title;
    bool onlyAdminsSend = false;
    bool isMember = true; // false once I left or was removed
    QList<GroupMember> members;
};

// The client's view of its groups: membership and roles as the last system event left them, and
// what the sender-key scheme needs (whether my key must be replaced, and which devices hold it).
// Works inside the caller's transactions on the engine's store connection.
class GroupStore {
public:
    explicit GroupStore(SqlDatabase &db) : m_db(db) { }

    // The local conversation for a group's server id, created on first sight.
    StoreResult<qint64> ensureGroup(qint64 serverId);
    // Applies a system event's resulting state. A member leaving or being removed means my sender
    // key must be replaced before I send again, so the departed cannot read what follows.
    StoreResult<Unit> applyEvent(qint64 conversation, const proto::GroupEvent &event, const QString &me);
    std::optional<GroupState> group(qint64 serverId);
    bool isGroup(qint64 conversation);
    QStringList members(qint64 conversation);

    bool needsRekey(qint64 conversation);
    StoreResult<Unit> rekeyDone(qint64 conversation);
    // A device of `username` is gone (removed, or replaced by a reinstall): it must not read what I
    // send next in any group we share.
    StoreResult<Unit> rekeyGroupsOf(const QString &username);
    QSet<qint64> holders(qint64 conversation);
    StoreResult<Unit> addHolders(qint64 conversation, const QList<qint64> &devices);
    // After STALE_DEVICES the sealed sends are thrown away, and with them the key distributions
    // they carried: nobody is assumed to hold my key until it is sent again. 0: every group.
    StoreResult<Unit> forgetHolders(qint64 conversation);
    StoreResult<Unit> forgetHolder(qint64 conversation, qint64 device);

    // The line shown in the conversation for a system event.
    static QString describe(const proto::GroupEvent &event, const QString &me);

private:
    SqlDatabase &m_db;
};

} // namespace chattermesh::core

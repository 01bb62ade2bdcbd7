// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreTypes.h"

namespace chattermesh::server {

class SqliteDatabase;

// Per-user settings (presence visibility, read receipts) and presence inside the SQLite store:
// last seen, and who may see it. Writer thread only.
class SqliteUsers {
public:
    explicit SqliteUsers(SqliteDatabase &db) : m_db(db) { }

    StoreResult<proto::Settings> settings(quint64 userId);
    StoreResult<proto::Settings> updateSettings(quint64 userId, const proto::Settings &settings);
    StoreResult<PresenceAudience> presenceChanged(quint64 userId, bool online, qint64 nowMs);
    StoreResult<std::vector<PresenceEntry>> presenceOf(quint64 askerUser, const QStringList &usernames);

private:
    // Whether the two users are members of one conversation (directOnly: of one 1:1).
    std::optional<bool> share(quint64 a, quint64 b, bool directOnly);
    Failure<proto::ErrorCode> internal(const char *what) const;

    SqliteDatabase &m_db;
};

} // namespace chattermesh::server

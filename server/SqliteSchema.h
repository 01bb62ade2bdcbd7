// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace chattermesh::server {

class SqliteDatabase;

// The server schema as an ordered list of migrations applied under PRAGMA user_version.
class SqliteSchema {
public:
    // Brings the database to the latest version; false (with a reason) if a step fails or the file
    // was written by a newer server.
    static bool migrate(SqliteDatabase &db, QString *error);
    static int latestVersion();
};

} // namespace chattermesh::server

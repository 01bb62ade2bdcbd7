// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SqliteStatement.h"

#include <QString>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace chattermesh::server {

// Owns one sqlite3 connection and its prepared-statement cache. Not thread-safe: it belongs to
// whichever thread the Store runs its writer on.
class SqliteDatabase {
public:
    SqliteDatabase() = default;
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    bool open(const QString &path);
    // Checkpoints the WAL into the main file so a clean shutdown leaves a single file behind.
    void close();
    bool isOpen() const { return m_db != nullptr; }

    bool exec(const char *sql);
    // Prepares once, then reuses; an invalid statement (valid() == false) if the SQL does not compile.
    SqliteStatement prepare(const char *sql);

    qint64 changes() const;
    bool inTransaction() const;
    qint64 lastInsertId() const;
    QString lastError() const;

private:
    sqlite3 *m_db = nullptr;
    std::unordered_map<std::string, sqlite3_stmt *> m_cache;
};

} // namespace chattermesh::server

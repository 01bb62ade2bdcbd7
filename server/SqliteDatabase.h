// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SqliteStatement.h"

#include <QString>
#include <optional>
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
    // sql must be a string literal: its address keys the cache, so a hit costs no hashing of the text.
    SqliteStatement prepare(const char *sql);
    // Runs bumpSql (an UPDATE adding 1 to a counter of row ?1), then readSql (selecting the counter
    // of row ?1) and returns the value before the bump. SQLite implements UPDATE ... RETURNING with
    // an ephemeral table, which cost more than both statements together on the hot path.
    std::optional<qint64> takeNext(const char *bumpSql, const char *readSql, qint64 rowId);

    qint64 changes() const;
    // Rows changed by every INSERT, UPDATE and DELETE since open; a statement that aborted adds 0.
    qint64 totalChanges() const;
    bool inTransaction() const;
    qint64 lastInsertId() const;
    QString lastError() const;

private:
    sqlite3 *m_db = nullptr;
    struct Cached {
        std::string sql; // guards against a non-literal whose address was reused
        sqlite3_stmt *statement;
    };
    std::unordered_map<const char *, Cached> m_cache;
};

} // namespace chattermesh::server

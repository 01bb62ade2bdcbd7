// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteDatabase.h"

#include "ServerLog.h"

#include <mutex>
#include <sqlite3.h>

namespace chattermesh::server {

SqliteDatabase::~SqliteDatabase()
{
    close();
}

bool SqliteDatabase::open(const QString &path)
{
    static std::once_flag configured;
    std::call_once(configured, [] {
        // Memory statistics take a process-wide mutex around every SQLite allocation, which
        // profiling showed on the writer's hot path; nothing reads them. Refused (harmlessly) if
        // something in this process initialised SQLite first.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    });
    close();
    // NOMUTEX: the connection is confined to the writer thread, so SQLite's own locking is waste.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.toUtf8().constData(), &m_db, flags, nullptr) != SQLITE_OK) {
        qCCritical(lcServer) << "cannot open database" << path << lastError();
        sqlite3_close(m_db);
        m_db = nullptr;
        return false;
    }
    sqlite3_extended_result_codes(m_db, 1);
    return true;
}

void SqliteDatabase::close()
{
    if (!m_db)
        return;
    for (auto &[address, cached] : m_cache)
        sqlite3_finalize(cached.statement);
    m_cache.clear();
    if (sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) != SQLITE_OK)
        qCWarning(lcServer) << "WAL checkpoint failed:" << lastError();
    if (sqlite3_close(m_db) != SQLITE_OK)
        qCWarning(lcServer) << "closing the database failed:" << lastError();
    m_db = nullptr;
}

bool SqliteDatabase::exec(const char *sql)
{
    char *error = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &error) == SQLITE_OK)
        return true;
    qCWarning(lcServer) << "SQL failed:" << error;
    sqlite3_free(error);
    return false;
}

SqliteStatement SqliteDatabase::prepare(const char *sql)
{
    auto found = m_cache.find(sql);
    if (found != m_cache.end()) {
        if (found->second.sql == sql)
            return SqliteStatement(found->second.statement);
        sqlite3_finalize(found->second.statement);
        m_cache.erase(found);
    }
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
        qCCritical(lcServer) << "cannot prepare statement:" << lastError();
        return SqliteStatement();
    }
    m_cache.emplace(sql, Cached { sql, statement });
    return SqliteStatement(statement);
}

std::optional<qint64> SqliteDatabase::takeNext(const char *bumpSql, const char *readSql, qint64 rowId)
{
    if (!prepare(bumpSql).bindInt(1, rowId).run() || changes() != 1)
        return std::nullopt;
    SqliteStatement read = prepare(readSql);
    if (!read.bindInt(1, rowId).nextRow())
        return std::nullopt;
    return read.int64(0) - 1;
}

qint64 SqliteDatabase::changes() const
{
    return sqlite3_changes64(m_db);
}

qint64 SqliteDatabase::totalChanges() const
{
    return sqlite3_total_changes64(m_db);
}

qint64 SqliteDatabase::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

QString SqliteDatabase::lastError() const
{
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("no database");
}

} // namespace chattermesh::server

namespace chattermesh::server {

bool SqliteDatabase::inTransaction() const
{
    return m_db && sqlite3_get_autocommit(m_db) == 0;
}

} // namespace chattermesh::server

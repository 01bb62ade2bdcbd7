// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqlDatabase.h"

#include <QFile>
#include <sqlite3.h>

namespace chattermesh::core {

namespace {
// Pinned cipher settings (SQLCipher 3 defaults except the page size, which halves insert cost).
// SQLCipher 4 opens this file with `PRAGMA cipher_compatibility = 3; PRAGMA cipher_page_size = 4096`.
constexpr const char *kCipherPragmas = "PRAGMA cipher_page_size = 4096;"
                                       "PRAGMA kdf_iter = 64000;"
                                       "PRAGMA cipher_use_hmac = ON;";
} // namespace

SqlDatabase::~SqlDatabase()
{
    close();
}

void SqlDatabase::close()
{
    m_cache.clear();
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

StoreResult<Unit> SqlDatabase::open(const QString &path, const DbKey &key, Mode mode)
{
    close();
    const bool exists = QFile::exists(path);
    if (mode == Mode::ReadOnly && !exists)
        return StoreFailure { StoreError::NotFound, QStringLiteral("no store at %1").arg(path) };
    // An existing file is opened without CREATE so nothing about a wrong key can create or alter it.
    int flags = SQLITE_OPEN_NOMUTEX;
    flags |= mode == Mode::ReadOnly
        ? SQLITE_OPEN_READONLY
        : (exists ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const QByteArray p = QFile::encodeName(path);
    if (sqlite3_open_v2(p.constData(), &m_db, flags, nullptr) != SQLITE_OK) {
        const QString msg = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory");
        close();
        return StoreFailure { StoreError::OpenFailed, QStringLiteral("cannot open %1: %2").arg(path, msg) };
    }
    const QByteArray k = key.sqlcipherKey();
    if (sqlite3_key(m_db, k.constData(), int(k.size())) != SQLITE_OK) {
        close();
        return StoreFailure { StoreError::OpenFailed, QStringLiteral("sqlite3_key failed") };
    }
    if (auto r = exec(kCipherPragmas); !r) {
        close();
        return r;
    }
    // sqlite3_key never reports a wrong key; the first read does, with SQLITE_NOTADB.
    const int rc = sqlite3_exec(m_db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        const QString msg = QString::fromUtf8(sqlite3_errmsg(m_db));
        close();
        if (rc == SQLITE_NOTADB)
            return StoreFailure { StoreError::WrongKey,
                QStringLiteral("the key does not open this store (wrong passphrase or key)") };
        if (rc == SQLITE_CORRUPT)
            return StoreFailure { StoreError::Corrupt, msg };
        return StoreFailure { StoreError::OpenFailed, msg };
    }
    sqlite3_busy_timeout(m_db, 5000);
    if (mode == Mode::ReadWriteCreate) {
        if (auto r = exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
            !r) {
            close();
            return r;
        }
    }
    return Unit {};
}

StoreResult<Unit> SqlDatabase::exec(const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const QString msg = QString::fromUtf8(err ? err : "unknown error");
        sqlite3_free(err);
        return StoreFailure { StoreError::Sql, msg };
    }
    return Unit {};
}

SqlStatement &SqlDatabase::prepared(const char *sql)
{
    if (!m_db) {
        // A closed store answers every statement with a failed one, never a crash.
        static thread_local SqlStatement closed;
        return closed;
    }
    auto it = m_cache.find(sql);
    if (it == m_cache.end())
        it = m_cache.emplace(sql, SqlStatement(m_db, sql)).first;
    return it->second.reset();
}

qint64 SqlDatabase::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqlDatabase::changes() const
{
    return sqlite3_changes(m_db);
}

QString SqlDatabase::lastError() const
{
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("store not open");
}

StoreFailure SqlDatabase::failure(const char *what) const
{
    return StoreFailure { StoreError::Sql,
        QStringLiteral("%1: %2").arg(QString::fromUtf8(what), lastError()) };
}

StoreResult<Unit> SqlDatabase::begin(Durability durability)
{
    if (m_depth > 0) {
        // Inside an outer transaction that an inner step already rolled back, nothing may run:
        // it would autocommit outside the transaction the caller believes it is in.
        if (m_rolledBack)
            return StoreFailure { StoreError::Sql,
                QStringLiteral("the enclosing transaction was rolled back") };
        ++m_depth;
        return Unit {};
    }
    // SQLite refuses to change the safety level inside a transaction: it is chosen here.
    if (durability == Durability::Relaxed) {
        if (auto r = exec("PRAGMA synchronous = NORMAL"); !r)
            return r;
        m_relaxed = true;
    }
    ++m_depth;
    m_rolledBack = false;
    auto r = exec("BEGIN IMMEDIATE");
    if (!r) {
        m_depth = 0;
        restoreDurability();
    }
    return r;
}

StoreResult<Unit> SqlDatabase::commit()
{
    if (m_depth == 0)
        return StoreFailure { StoreError::Sql, QStringLiteral("commit without a transaction") };
    if (--m_depth > 0)
        return Unit {};
    if (m_rolledBack) {
        restoreDurability();
        return StoreFailure { StoreError::Sql,
            QStringLiteral("an inner step failed; the transaction was rolled back") };
    }
    StoreResult<Unit> r = Unit {};
    if (m_listener && !m_listener->beforeCommit())
        r = failure("write held-back rows");
    else
        r = exec("COMMIT");
    if (r && m_relaxed)
        m_unsynced = true;
    if (!r) {
        // A failed COMMIT (busy, I/O) can leave SQLite inside the transaction: end it, or every
        // later BEGIN would fail.
        if (sqlite3_get_autocommit(m_db) == 0)
            exec("ROLLBACK");
        if (m_listener)
            m_listener->afterRollback();
    }
    restoreDurability();
    return r;
}

void SqlDatabase::restoreDurability()
{
    if (!m_relaxed)
        return;
    m_relaxed = false;
    exec("PRAGMA synchronous = FULL");
}

StoreResult<Unit> SqlDatabase::syncWal()
{
    if (!m_unsynced)
        return Unit {};
    sqlite3_file *wal = nullptr;
    if (sqlite3_file_control(m_db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK || !wal
        || !wal->pMethods)
        return StoreFailure { StoreError::Sql, QStringLiteral("no WAL file to sync") };
    if (const int rc = wal->pMethods->xSync(wal, SQLITE_SYNC_FULL); rc != SQLITE_OK)
        return StoreFailure { StoreError::Sql, QStringLiteral("WAL sync failed (%1)").arg(rc) };
    m_unsynced = false;
    return Unit {};
}

void SqlDatabase::rollback()
{
    // An inner failure aborts the whole outermost transaction: partial work never commits.
    if (m_depth == 0)
        return;
    if (!m_rolledBack) {
        exec("ROLLBACK");
        if (m_listener)
            m_listener->afterRollback();
    }
    m_rolledBack = true;
    if (--m_depth == 0)
        restoreDurability();
}

} // namespace chattermesh::core

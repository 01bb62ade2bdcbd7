// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DbKey.h"
#include "SqlStatement.h"
#include "StoreError.h"

#include <map>

struct sqlite3;

namespace chattermesh::core {

// An SQLCipher connection through the C API (Qt's QSQLITE links plain SQLite and must not be loaded
// in the client). Cipher settings are pinned so a later SQLCipher can open the file unchanged.
// Told about the outermost transaction's end, for write-back caches that live beside it.
class TransactionListener {
public:
    virtual ~TransactionListener() = default;
    // Inside the transaction, just before COMMIT: write what was held back. false aborts.
    virtual bool beforeCommit() = 0;
    // The transaction rolled back: forget what was held back.
    virtual void afterRollback() = 0;
};

class SqlDatabase {
public:
    enum class Mode { ReadWriteCreate, ReadOnly };

    SqlDatabase() = default;
    ~SqlDatabase();
    SqlDatabase(const SqlDatabase &) = delete;
    SqlDatabase &operator=(const SqlDatabase &) = delete;

    StoreResult<Unit> open(const QString &path, const DbKey &key, Mode mode = Mode::ReadWriteCreate);
    void close();
    bool isOpen() const { return m_db != nullptr; }

    StoreResult<Unit> exec(const char *sql);
    // Cached by the address of the literal: callers pass string literals only.
    SqlStatement &prepared(const char *sql);
    qint64 lastInsertId() const;
    int changes() const;
    QString lastError() const;
    StoreFailure failure(const char *what) const;

    // Transactions nest: only the outermost BEGIN/COMMIT reach SQLite, so a store method that
    // opens its own transaction can run inside a larger one (decrypt + store in one commit).
    // Relaxed (outermost only): the commit skips its fsync. Its WAL frames already survive a
    // crash of the process, and survive power loss once syncWal() has run, so callers can put
    // many relaxed commits (one per composed message) behind one syncWal() per event-loop turn.
    enum class Durability { Full, Relaxed };
    StoreResult<Unit> begin(Durability durability = Durability::Full);
    StoreResult<Unit> commit();
    void rollback();
    bool inTransaction() const { return m_depth > 0; }
    bool needsSync() const { return m_unsynced; }
    // One listener (the key store); nullptr to remove it.
    void setListener(TransactionListener *listener) { m_listener = listener; }
    StoreResult<Unit> syncWal();

private:
    sqlite3 *m_db = nullptr;
    std::map<const char *, SqlStatement> m_cache;
    int m_depth = 0;
    bool m_rolledBack = false;
    bool m_unsynced = false;
    TransactionListener *m_listener = nullptr;
    bool m_relaxed = false;
    void restoreDurability();
};

// Rolls back unless commit() was called and succeeded.
class Transaction {
public:
    explicit Transaction(SqlDatabase &db, SqlDatabase::Durability d = SqlDatabase::Durability::Full)
        : m_db(db), m_began(db.begin(d).ok())
    { }
    ~Transaction()
    {
        if (m_began && !m_done)
            m_db.rollback();
    }
    bool began() const { return m_began; }
    StoreResult<Unit> commit()
    {
        // Never commit a level this object did not open: that would end the caller's transaction.
        if (!m_began)
            return StoreFailure { StoreError::Sql, QStringLiteral("the transaction never began") };
        auto r = m_db.commit();
        m_done = r.ok();
        return r;
    }
    // Ends it now (before, say, dropping the connection runs other code on this database).
    void rollback()
    {
        if (m_began && !m_done)
            m_db.rollback();
        m_done = true;
    }

private:
    SqlDatabase &m_db;
    bool m_began;
    bool m_done = false;
};

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <string>

struct sqlite3_stmt;

namespace chattermesh::server {

// A borrowed, cached prepared statement. Binding indexes are 1-based like SQLite's; columns are
// 0-based. The destructor resets the statement and clears its bindings so the cache can hand it out
// again, which is why it is move-only.
class SqliteStatement {
public:
    explicit SqliteStatement(sqlite3_stmt *statement = nullptr);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&) = delete;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool valid() const { return m_statement != nullptr; }

    SqliteStatement &bindInt(int index, qint64 value);
    SqliteStatement &bindText(int index, const QString &value);
    SqliteStatement &bindBlob(int index, const QByteArray &value);
    SqliteStatement &bindBlob(int index, const std::string &value);
    SqliteStatement &bindNull(int index);

    // Each returns the SQLite result code of one step: SQLITE_ROW, SQLITE_DONE or an error.
    int step();
    bool nextRow() { return step() == 100 /* SQLITE_ROW */; }
    // Runs a statement that returns no rows; true on SQLITE_DONE.
    bool run() { return step() == 101 /* SQLITE_DONE */; }
    int lastCode() const { return m_lastCode; }
    bool failed() const { return m_lastCode != 100 && m_lastCode != 101; }

    qint64 int64(int column) const;
    bool isNull(int column) const;
    // Size of a text or blob value in bytes (0 for NULL), without copying it.
    qint64 bytes(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    std::string blobString(int column) const;

private:
    sqlite3_stmt *m_statement;
    int m_lastCode = 0;
};

} // namespace chattermesh::server

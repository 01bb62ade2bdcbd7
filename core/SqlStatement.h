// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace chattermesh::core {

// One prepared statement, owned; reset on every bind round so it can be cached and reused.
class SqlStatement {
public:
    SqlStatement() = default;
    SqlStatement(sqlite3 *db, const char *sql);
    ~SqlStatement();
    SqlStatement(SqlStatement &&other) noexcept;
    SqlStatement &operator=(SqlStatement &&other) noexcept;
    SqlStatement(const SqlStatement &) = delete;
    SqlStatement &operator=(const SqlStatement &) = delete;

    bool valid() const { return m_stmt != nullptr; }
    SqlStatement &reset();
    SqlStatement &bind(int i, qint64 v);
    SqlStatement &bind(int i, const QString &v);
    SqlStatement &bind(int i, const QByteArray &v);
    SqlStatement &bindNull(int i);

    // SQLITE_ROW → true; SQLITE_DONE → false; errors → false with ok() false.
    bool step();
    bool ok() const { return m_ok; }
    int exec(); // steps to completion; returns the SQLite result code (SQLITE_DONE on success)

    qint64 int64(int col) const;
    QString text(int col) const;
    QByteArray blob(int col) const;
    bool isNull(int col) const;
    QString error() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_ok = true;
};

} // namespace chattermesh::core

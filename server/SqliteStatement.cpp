// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteStatement.h"

#include <sqlite3.h>

static_assert(SQLITE_ROW == 100 && SQLITE_DONE == 101, "SqliteStatement.h hard-codes these");

namespace chattermesh::server {

SqliteStatement::SqliteStatement(sqlite3_stmt *statement) : m_statement(statement) { }

SqliteStatement::~SqliteStatement()
{
    if (!m_statement)
        return;
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_statement(other.m_statement), m_lastCode(other.m_lastCode)
{
    other.m_statement = nullptr;
}

SqliteStatement &SqliteStatement::bindInt(int index, qint64 value)
{
    if (m_statement)
        sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

SqliteStatement &SqliteStatement::bindText(int index, const QString &value)
{
    if (m_statement) {
        const QByteArray utf8 = value.toUtf8();
        sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    return *this;
}

SqliteStatement &SqliteStatement::bindBlob(int index, const QByteArray &value)
{
    // constData() is never null, so an empty array binds an empty blob rather than NULL.
    if (m_statement)
        sqlite3_bind_blob(m_statement, index, value.constData(), int(value.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement &SqliteStatement::bindBlob(int index, const std::string &value)
{
    if (m_statement)
        sqlite3_bind_blob(m_statement, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement &SqliteStatement::bindNull(int index)
{
    if (m_statement)
        sqlite3_bind_null(m_statement, index);
    return *this;
}

int SqliteStatement::step()
{
    m_lastCode = m_statement ? sqlite3_step(m_statement) : SQLITE_MISUSE;
    return m_lastCode;
}

qint64 SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

qint64 SqliteStatement::bytes(int column) const
{
    return m_statement ? sqlite3_column_bytes(m_statement, column) : 0;
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

QString SqliteStatement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    return QString::fromUtf8(data, sqlite3_column_bytes(m_statement, column));
}

QByteArray SqliteStatement::blob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
    return data ? QByteArray(data, sqlite3_column_bytes(m_statement, column)) : QByteArray();
}

std::string SqliteStatement::blobString(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
    return data ? std::string(data, size_t(sqlite3_column_bytes(m_statement, column))) : std::string();
}

} // namespace chattermesh::server

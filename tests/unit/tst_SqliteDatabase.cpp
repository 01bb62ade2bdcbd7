// SPDX-License-Identifier: GPL-3.0-or-later
// The server's SQLite connection wrapper on a real database file: counters handed out by takeNext,
// and the statement cache, which is keyed by the SQL's address.
#include "SqliteDatabase.h"

#include <QTemporaryDir>
#include <QTest>
#include <cstring>

using chattermesh::server::SqliteDatabase;
using chattermesh::server::SqliteStatement;

class tst_SqliteDatabase : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    void openWithCounters(SqliteDatabase &db, const char *file)
    {
        QVERIFY(db.open(m_dir.filePath(QString::fromLatin1(file))));
        QVERIFY(db.exec("CREATE TABLE counters(id INTEGER PRIMARY KEY, next INTEGER NOT NULL)"));
        QVERIFY(db.exec("INSERT INTO counters(id, next) VALUES(1, 1), (2, 10)"));
    }

    static std::optional<qint64> take(SqliteDatabase &db, qint64 row)
    {
        return db.takeNext("UPDATE counters SET next = next + 1 WHERE id = ?",
            "SELECT next FROM counters WHERE id = ?", row);
    }

private Q_SLOTS:
    void takeNextHandsOutEachValueOnce()
    {
        SqliteDatabase db;
        openWithCounters(db, "take.db");
        QCOMPARE(take(db, 1), std::optional<qint64>(1));
        QCOMPARE(take(db, 1), std::optional<qint64>(2));
        QCOMPARE(take(db, 2), std::optional<qint64>(10));
        QCOMPARE(take(db, 1), std::optional<qint64>(3));
        SqliteStatement read = db.prepare("SELECT next FROM counters WHERE id = 1");
        QVERIFY(read.nextRow());
        QCOMPARE(read.int64(0), qint64(4));
    }

    void takeNextOfAMissingRowFails()
    {
        SqliteDatabase db;
        openWithCounters(db, "missing.db");
        QCOMPARE(take(db, 99), std::nullopt);
        QCOMPARE(take(db, 1), std::optional<qint64>(1)); // the failure left the statements usable
    }

    void takeNextIsUndoneWithItsSavepoint()
    {
        SqliteDatabase db;
        openWithCounters(db, "savepoint.db");
        QVERIFY(db.exec("BEGIN"));
        QVERIFY(db.exec("SAVEPOINT job"));
        QCOMPARE(take(db, 1), std::optional<qint64>(1));
        QVERIFY(db.exec("ROLLBACK TO job"));
        QVERIFY(db.exec("RELEASE job"));
        QCOMPARE(take(db, 1), std::optional<qint64>(1));
        QVERIFY(db.exec("COMMIT"));
    }

    void aReusedBufferWithOtherSqlIsPreparedAgain()
    {
        SqliteDatabase db;
        openWithCounters(db, "cache.db");
        char sql[64];
        std::strcpy(sql, "SELECT next FROM counters WHERE id = 1");
        {
            SqliteStatement first = db.prepare(sql);
            QVERIFY(first.nextRow());
            QCOMPARE(first.int64(0), qint64(1));
        }
        std::strcpy(sql, "SELECT next FROM counters WHERE id = 2");
        SqliteStatement second = db.prepare(sql);
        QVERIFY(second.nextRow());
        QCOMPARE(second.int64(0), qint64(10));
    }

    void initTestCase() { QVERIFY(m_dir.isValid()); }
};

QTEST_GUILESS_MAIN(tst_SqliteDatabase)
#include "tst_SqliteDatabase.moc"

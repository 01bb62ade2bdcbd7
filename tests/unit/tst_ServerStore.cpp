// SPDX-License-Identifier: GPL-3.0-or-later
// The server's group-committing Store on a real SQLite file: jobs of one batch commit together, and
// a job that fails after writing loses its own writes only (the batch is rolled back and run again
// without it), while a job that fails before writing costs nobody anything.
#include "SqliteBackend.h"
#include "Store.h"

#include <QEventLoop>
#include <QTemporaryDir>
#include <QTest>
#include <future>

using namespace chattermesh;
using namespace chattermesh::server;

namespace {

NewAccount account(const QString &username, char token)
{
    NewAccount a;
    a.username = username;
    a.salt = QByteArray(16, 's');
    a.passwordHash = QByteArray(32, 'h');
    a.iterations = 1;
    a.deviceName = QStringLiteral("phone");
    a.token.hash = QByteArray(32, token);
    a.token.expiresMs = 1'000'000;
    a.nowMs = 1000;
    return a;
}

} // namespace

class tst_ServerStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Runs the event loop until every job submitted so far has been delivered.
    static void drain(Store &store)
    {
        QEventLoop loop;
        store.flush([&loop] { loop.quit(); });
        loop.exec();
    }

    // A job that keeps the writer busy until the returned promise is set: jobs submitted meanwhile
    // wait in the queue and are then taken as one batch.
    static std::promise<void> holdWriter(Store &store)
    {
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        store.submit(
            [released](StoreBackend &) -> StoreResult<Unit> {
                released.wait();
                return Unit {};
            },
            [](StoreResult<Unit>) {});
        return release;
    }

    static std::optional<Credentials> credentialsOf(Store &store, const QString &username)
    {
        std::optional<Credentials> found;
        bool answered = false;
        store.submit([username](StoreBackend &backend) { return backend.credentials(username); },
            [&](StoreResult<std::optional<Credentials>> result) {
                answered = result.ok();
                if (result.ok())
                    found = result.value();
            });
        drain(store);
        if (!answered)
            qWarning("credentials lookup failed");
        return found;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void aJobFailingAfterWritingLosesOnlyItsOwnWrites()
    {
        Store store(std::make_unique<SqliteBackend>(m_dir.filePath(QStringLiteral("replay.db"))));
        std::vector<size_t> committedBatches;
        store.setBatchObserver([&committedBatches](bool committed, size_t jobs, double) {
            if (committed)
                committedBatches.push_back(jobs); // read after drain(), once the writer is idle
        });
        QVERIFY(store.start().ok());

        // The writer holds the first job until the rest are queued, so they share one batch.
        std::promise<void> release = holdWriter(store);

        std::vector<QString> outcomes(4);
        auto record = [&outcomes](int i) {
            return [&outcomes, i](StoreResult<proto::Session> result) {
                outcomes[size_t(i)] = result.ok()
                    ? QStringLiteral("ok %1").arg(QString::fromStdString(result->username()))
                    : QStringLiteral("error %1").arg(int(result.error().code));
            };
        };
        int fredRuns = 0;
        int aliceRuns = 0; // both read by the test thread after drain()
        store.submit(
            [&aliceRuns](StoreBackend &b) {
                ++aliceRuns;
                return b.createAccount(account(QStringLiteral("alice"), 'a'));
            },
            record(0));
        store.submit(
            [&fredRuns](StoreBackend &b) -> StoreResult<proto::Session> {
                ++fredRuns;
                const auto created = b.createAccount(account(QStringLiteral("fred"), 'f'));
                if (!created.ok())
                    return created;
                return Failure<proto::ErrorCode> { proto::PERMISSION_DENIED,
                    QStringLiteral("changed its mind") };
            },
            record(1));
        // Fails before writing anything: alice exists by now in this batch.
        store.submit([](StoreBackend &b) { return b.createAccount(account(QStringLiteral("alice"), 'x')); },
            record(2));
        store.submit(
            [](StoreBackend &b) { return b.createAccount(account(QStringLiteral("bob"), 'b')); }, record(3));
        release.set_value();
        drain(store);

        // alice's job ran twice (its first run was rolled back), yet she was created once, not refused;
        // fred's was not run again.
        QCOMPARE(outcomes[0], QStringLiteral("ok alice"));
        QCOMPARE(outcomes[1], QStringLiteral("error %1").arg(int(proto::PERMISSION_DENIED)));
        QCOMPARE(outcomes[2], QStringLiteral("error %1").arg(int(proto::USERNAME_TAKEN)));
        QCOMPARE(outcomes[3], QStringLiteral("ok bob"));
        QCOMPARE(aliceRuns, 2);
        QCOMPARE(fredRuns, 1);
        QVERIFY(std::find_if(committedBatches.begin(), committedBatches.end(), [](size_t n) {
            return n >= 4;
        }) != committedBatches.end());

        QVERIFY(credentialsOf(store, QStringLiteral("alice")).has_value());
        QVERIFY(credentialsOf(store, QStringLiteral("bob")).has_value());
        QVERIFY(!credentialsOf(store, QStringLiteral("fred")).has_value());
    }

    void twoJobsFailingAfterWritingInOneBatch()
    {
        Store store(std::make_unique<SqliteBackend>(m_dir.filePath(QStringLiteral("twice.db"))));
        QVERIFY(store.start().ok());
        std::promise<void> release = holdWriter(store);
        const QStringList names { QStringLiteral("ann"), QStringLiteral("ben"), QStringLiteral("cat"),
            QStringLiteral("dan"), QStringLiteral("eve") };
        QStringList answered;
        for (int i = 0; i < names.size(); ++i) {
            const bool changesItsMind = i == 1 || i == 3;
            const QString name = names.at(i);
            store.submit(
                [name, changesItsMind, i](StoreBackend &b) -> StoreResult<proto::Session> {
                    auto created = b.createAccount(account(name, char('0' + i)));
                    if (created.ok() && changesItsMind)
                        return Failure<proto::ErrorCode> { proto::PERMISSION_DENIED, QStringLiteral("no") };
                    return created;
                },
                [&answered, name](StoreResult<proto::Session> result) {
                    answered << name + (result.ok() ? QStringLiteral(" ok") : QStringLiteral(" refused"));
                });
        }
        release.set_value();
        drain(store);
        QCOMPARE(answered,
            QStringList({ QStringLiteral("ann ok"), QStringLiteral("ben refused"), QStringLiteral("cat ok"),
                QStringLiteral("dan refused"), QStringLiteral("eve ok") }));
        for (int i = 0; i < names.size(); ++i)
            QCOMPARE(credentialsOf(store, names.at(i)).has_value(), i != 1 && i != 3);
    }

    void aJobFailingBeforeWritingRunsOnce()
    {
        Store store(std::make_unique<SqliteBackend>(m_dir.filePath(QStringLiteral("once.db"))));
        QVERIFY(store.start().ok());
        int runs = 0;
        QString outcome;
        store.submit(
            [&runs](StoreBackend &b) -> StoreResult<proto::Session> {
                ++runs;
                const auto known = b.credentials(QStringLiteral("nobody"));
                if (!known.ok())
                    return known.error();
                return Failure<proto::ErrorCode> { proto::USER_NOT_FOUND, QStringLiteral("no such user") };
            },
            [&outcome](StoreResult<proto::Session> result) {
                outcome = result.ok() ? QStringLiteral("ok")
                                      : QStringLiteral("error %1").arg(int(result.error().code));
            });
        store.submit([](StoreBackend &b) { return b.createAccount(account(QStringLiteral("carol"), 'c')); },
            [](StoreResult<proto::Session>) {});
        drain(store);
        QCOMPARE(runs, 1);
        QCOMPARE(outcome, QStringLiteral("error %1").arg(int(proto::USER_NOT_FOUND)));
        QVERIFY(credentialsOf(store, QStringLiteral("carol")).has_value());
    }
};

QTEST_GUILESS_MAIN(tst_ServerStore)
#include "tst_ServerStore.moc"

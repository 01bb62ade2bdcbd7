// SPDX-License-Identifier: GPL-3.0-or-later
// The SQLCipher store on real files: keys, migrations, the outbox transaction, inbound dedupe, pages.
#include "MessageStore.h"
#include "Migrations.h"
#include "SqlKeyStore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh;
using namespace chattermesh::core;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

proto::MailboxEntry messageEntry(
    quint64 inboxSeq, quint64 conv, quint64 seq, const char *sender, const QByteArray &id, const char *text)
{
    proto::MailboxEntry e;
    e.set_inbox_seq(inboxSeq);
    auto *m = e.mutable_message();
    m->mutable_conversation()->set_conversation_id(conv);
    m->mutable_conversation()->add_members("alice");
    m->mutable_conversation()->add_members("bob");
    m->set_seq(seq);
    m->set_sender(sender);
    m->set_sender_device(1);
    m->set_client_msg_id(id.toStdString());
    m->set_server_time_ms(1000 + qint64(seq));
    m->set_payload(text);
    return e;
}

InboundItem item(const proto::MailboxEntry &e)
{
    InboundItem i;
    i.entry = e;
    if (e.has_message())
        i.text = QString::fromStdString(e.message().payload());
    return i;
}

} // namespace

class tst_MessageStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wrongKeyIsTypedAndLeavesFileUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.db"));
        {
            MessageStore s;
            QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("right horse"))).ok());
            QVERIFY(s.composeText(QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("hi"),
                         QByteArray(), QByteArray(16, 'a'), 1)
                        .ok());
        }
        const QByteArray before = fileHash(path);
        QVERIFY(!before.isEmpty());
        MessageStore s;
        auto r = s.open(path, DbKey::passphrase(QStringLiteral("wrong horse")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, StoreError::WrongKey);
        QCOMPARE(fileHash(path), before);
        auto raw = s.open(path, DbKey::raw(DbKey::generateRaw()));
        QVERIFY(!raw.ok());
        QCOMPARE(raw.error().code, StoreError::WrongKey);
        QCOMPARE(fileHash(path), before);
        QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("right horse"))).ok());
    }

    void rawKeyRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("raw.db"));
        const QByteArray key = DbKey::generateRaw();
        QCOMPARE(key.size(), 32);
        {
            MessageStore s;
            QVERIFY(s.open(path, DbKey::raw(key)).ok());
            QVERIFY(s.setMeta("username", "alice").ok());
        }
        MessageStore s;
        QVERIFY(s.open(path, DbKey::raw(key)).ok());
        QCOMPARE(s.meta("username"), QByteArray("alice"));
    }

    void fileIsCiphertext()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.db"));
        const QString canary = QStringLiteral("canary-7f3a9 the eagle lands at dawn");
        {
            MessageStore s;
            QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("pw"))).ok());
            QVERIFY(s.composeText(QStringLiteral("alice"), QStringLiteral("bob"), canary, QByteArray(),
                         QByteArray(16, 'c'), 1)
                        .ok());
        }
        for (const QString &f : { path, path + QStringLiteral("-wal") }) {
            QFile file(f);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = file.readAll();
            QVERIFY(!bytes.contains(canary.toUtf8()));
            QVERIFY(!bytes.contains("SQLite format 3"));
        }
        const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
        QVERIFY2(!sqlite3.isEmpty(), "the sqlite3 shell is installed by scripts/deps");
        QProcess p;
        p.start(sqlite3, { path, QStringLiteral("SELECT body FROM messages;") });
        QVERIFY(p.waitForFinished(20000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(p.readAllStandardError().contains("not a database"));
    }

    void migrationSetsUserVersionAndRefusesNewer()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.db"));
        const DbKey key = DbKey::passphrase(QStringLiteral("pw"));
        {
            SqlDatabase db;
            QVERIFY(db.open(path, key).ok());
            auto v = migrate(db);
            QVERIFY(v.ok());
            QCOMPARE(v.value(), latestSchemaVersion());
            QVERIFY(db.exec("PRAGMA user_version = 999").ok());
        }
        MessageStore s;
        auto r = s.open(path, key);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, StoreError::TooNew);
    }

    void composeAckAndInbound()
    {
        QTemporaryDir dir;
        MessageStore s;
        QVERIFY(s.open(dir.filePath(QStringLiteral("a.db")), DbKey::passphrase(QStringLiteral("pw"))).ok());
        const QByteArray id1(16, '1'), id2(16, '2');
        auto m1 = s.composeText(
            QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("one"), QByteArray("c1"), id1, 10);
        auto m2 = s.composeText(
            QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("two"), QByteArray("c2"), id2, 11);
        QVERIFY(m1.ok() && m2.ok());
        QCOMPARE(s.outbox().outboxSize(), 2);
        auto out = s.outbox().items(0, 10);
        QVERIFY(out.ok());
        QCOMPARE(out.value().size(), 2);
        QCOMPARE(out.value()[0].clientMsgId, id1);
        QCOMPARE(out.value()[0].peer, QStringLiteral("bob"));
        QCOMPARE(out.value()[0].content, QByteArray("c1"));

        auto acked = s.applyAcks({ { id1, 7, 1, 100 } });
        QVERIFY(acked.ok());
        QCOMPARE(acked.value().size(), 1);
        QCOMPARE(acked.value()[0].state, MessageState::Sent);
        QCOMPARE(s.outbox().outboxSize(), 1);
        // After the first ack the conversation's server id is known and used for the rest.
        QCOMPARE(s.outbox().items(0, 10).value()[0].conversationServerId, 7);

        // Inbound: a reply, a duplicate of it, and a delivered receipt for our first message.
        proto::MailboxEntry receipt;
        receipt.set_inbox_seq(3);
        receipt.mutable_receipt()->set_conversation_id(7);
        receipt.mutable_receipt()->set_seq(1);
        receipt.mutable_receipt()->set_client_msg_id(id1.toStdString());
        receipt.mutable_receipt()->set_status(proto::DELIVERED);
        const QByteArray reply(16, 'r');
        auto in = s.applyInbound({ item(messageEntry(1, 7, 2, "bob", reply, "hey")),
                                     item(messageEntry(2, 7, 2, "bob", reply, "hey")), item(receipt) },
            3, QStringLiteral("alice"));
        QVERIFY(in.ok());
        QCOMPARE(in.value().added.size(), 1);
        QCOMPARE(in.value().changed.size(), 1);
        QCOMPARE(in.value().changed[0].state, MessageState::Delivered);
        QCOMPARE(s.inboxCursor(), 3u);

        // A late ack must not move a delivered message back to sent.
        QVERIFY(s.applyAcks({ { id1, 7, 1, 100 } }).ok());
        auto page = s.page(*s.conversationForPeer(QStringLiteral("bob")), 0, 50);
        QVERIFY(page.ok());
        QCOMPARE(page.value().size(), 3);
        QCOMPARE(page.value()[0].body, QStringLiteral("one"));
        QCOMPARE(page.value()[0].state, MessageState::Delivered);
        QCOMPARE(page.value()[1].body, QStringLiteral("hey"));
        QCOMPARE(page.value()[2].body, QStringLiteral("two")); // pending sorts last
        QCOMPARE(page.value()[2].state, MessageState::Pending);
    }

    void composeIsGroupCommittedThenSynced()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("g.db"));
        {
            MessageStore s;
            QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("pw"))).ok());
            QVERIFY(!s.db().needsSync());
            QVERIFY(s.composeText(QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("one"),
                         QByteArray("c"), QByteArray(16, 'g'), 1)
                        .ok());
            QVERIFY(s.db().needsSync()); // committed without its fsync
            // The connection is back at full durability for everything else.
            auto &q = s.db().prepared("PRAGMA synchronous");
            QVERIFY(q.step());
            QCOMPARE(q.int64(0), 2); // FULL
            q.reset();
            QVERIFY(s.syncWal().ok());
            QVERIFY(!s.db().needsSync());
            // A durable transaction inside which a relaxed one nests stays durable.
            {
                Transaction outer(s.db());
                QVERIFY(s.composeText(QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("two"),
                             QByteArray("c"), QByteArray(16, 'h'), 2)
                            .ok());
                QVERIFY(outer.commit().ok());
            }
            QVERIFY(!s.db().needsSync());
        }
        MessageStore again;
        QVERIFY(again.open(path, DbKey::passphrase(QStringLiteral("pw"))).ok());
        QCOMPARE(again.outbox().outboxSize(), 2);
    }

    // Drafts and the muted set survive closing the store (the app's restart), stay encrypted like
    // messages, and an emptied draft is gone rather than kept as "".
    void composingToNobodyIsRefusedAndStoresNothing()
    {
        QTemporaryDir dir;
        MessageStore s;
        QVERIFY(s.open(dir.filePath(QStringLiteral("s.db")), DbKey::passphrase(QStringLiteral("pw"))).ok());
        auto r = s.composeText(
            QStringLiteral("alice"), QString(), QStringLiteral("hi"), QByteArray(), QByteArray(16, 'n'), 1);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, StoreError::NotFound);
        QCOMPARE(s.conversations().value().size(), 0);
        QCOMPARE(s.outbox().outboxSize(), 0);
    }

    void draftsAndMutedSurviveARestart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("d.db"));
        const QString canary = QStringLiteral("draft-canary 42 unsent thoughts");
        {
            MessageStore s;
            QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("pw"))).ok());
            QVERIFY(s.drafts().save(QStringLiteral("bob"), canary, 1).ok());
            QVERIFY(s.drafts().save(QStringLiteral("#12"), QStringLiteral("for the group"), 2).ok());
            QVERIFY(s.drafts().save(QStringLiteral("carol"), QStringLiteral("soon gone"), 3).ok());
            QVERIFY(s.drafts().save(QStringLiteral("carol"), QStringLiteral("  "), 4).ok());
            QVERIFY(s.drafts().setMuted(QStringLiteral("#12"), true).ok());
            QVERIFY(s.drafts().setMuted(QStringLiteral("bob"), true).ok());
            QVERIFY(s.drafts().setMuted(QStringLiteral("bob"), false).ok());
        }
        qint64 scanned = 0;
        for (const QString &f : { path, path + QStringLiteral("-wal") }) {
            QFile file(f);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = file.readAll();
            scanned += bytes.size();
            QVERIFY(!bytes.contains(canary.toUtf8()));
        }
        QVERIFY(scanned > 0);

        MessageStore s;
        QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("pw"))).ok());
        QCOMPARE(s.drafts().get(QStringLiteral("bob")).value(), canary);
        QCOMPARE(s.drafts().get(QStringLiteral("nobody")).value(), QString());
        const auto all = s.drafts().all();
        QVERIFY(all.ok());
        QCOMPARE(all.value().size(), 2);
        QCOMPARE(all.value().value(QStringLiteral("#12")), QStringLiteral("for the group"));
        QVERIFY(!all.value().contains(QStringLiteral("carol")));
        QCOMPARE(s.drafts().muted().value(), QSet<QString> { QStringLiteral("#12") });
    }

    void retryAnswersPersistUntilRemoved()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.db"));
        const PendingAnswer a { QStringLiteral("bob"), 7, QByteArray(16, 'm'), QByteArray(16, 'a') };
        {
            MessageStore s;
            QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("pw"))).ok());
            QVERIFY(s.outbox().addAnswer(a).ok());
            // The same request twice is one answer, under the first answer id.
            QVERIFY(s.outbox().addAnswer({ a.asker, a.device, a.clientMsgId, QByteArray(16, 'b') }).ok());
            QVERIFY(s.outbox().addAnswer({ a.asker, 8, a.clientMsgId, QByteArray(16, 'c') }).ok());
        }
        MessageStore s;
        QVERIFY(s.open(path, DbKey::passphrase(QStringLiteral("pw"))).ok());
        auto pending = s.outbox().answers();
        QVERIFY(pending.ok());
        QCOMPARE(pending.value().size(), 2);
        const auto first = std::find_if(pending.value().cbegin(), pending.value().cend(),
            [](const PendingAnswer &p) { return p.device == 7; });
        QVERIFY(first != pending.value().cend());
        QCOMPARE(first->answerId, a.answerId);
        QVERIFY(s.outbox().removeAnswer(a).ok());
        QCOMPARE(s.outbox().answers().value().size(), 1);
        QCOMPARE(s.outbox().answers().value().first().device, 8);
    }

    void keyStoreHoldsWritesUntilCommitAndDropsThemOnRollback()
    {
        using Kind = crypto::KeyStore::Kind;
        QTemporaryDir dir;
        MessageStore s;
        QVERIFY(s.open(dir.filePath(QStringLiteral("k.db")), DbKey::passphrase(QStringLiteral("pw"))).ok());
        SqlKeyStore keys(s.db());
        auto rowCount = [&s] {
            auto &q = s.db().prepared("SELECT count(*) FROM crypto_kv");
            const qint64 n = q.step() ? q.int64(0) : -1;
            q.reset();
            return n;
        };
        const QByteArray prefix("alice\x1f"), dev1 = prefix + '1', dev2 = prefix + '2';
        QVERIFY(keys.store(Kind::Session, dev1, "outside")); // no transaction: written at once
        QCOMPARE(rowCount(), 1);
        {
            Transaction tx(s.db());
            QVERIFY(keys.store(Kind::Session, dev1, "v1"));
            QVERIFY(keys.store(Kind::Session, dev1, "v2"));
            QVERIFY(keys.store(Kind::Session, dev2, "new"));
            QVERIFY(keys.remove(Kind::Session, dev1));
            QVERIFY(keys.store(Kind::Session, dev1, "v3"));
            QCOMPARE(keys.load(Kind::Session, dev1).value(), QByteArray("v3")); // reads see held writes
            QCOMPARE(keys.keysWithPrefix(Kind::Session, prefix).size(), 2);
            QCOMPARE(rowCount(), 1); // nothing written yet
            QVERIFY(tx.commit().ok());
        }
        QCOMPARE(rowCount(), 2);
        QCOMPARE(keys.load(Kind::Session, dev1).value(), QByteArray("v3"));
        {
            Transaction tx(s.db());
            QVERIFY(keys.store(Kind::Session, dev1, "lost"));
            QVERIFY(keys.remove(Kind::Session, dev2));
            QCOMPARE(keys.keysWithPrefix(Kind::Session, prefix).size(), 1);
        } // rolled back
        QCOMPARE(keys.load(Kind::Session, dev1).value(), QByteArray("v3"));
        QCOMPARE(keys.load(Kind::Session, dev2).value(), QByteArray("new"));
        QCOMPARE(keys.keysWithPrefix(Kind::Session, prefix).size(), 2);
    }

    void pagesWalkBackwards()
    {
        QTemporaryDir dir;
        MessageStore s;
        QVERIFY(s.open(dir.filePath(QStringLiteral("p.db")), DbKey::passphrase(QStringLiteral("pw"))).ok());
        QList<InboundItem> entries;
        for (int i = 1; i <= 250; ++i)
            entries.append(item(messageEntry(
                quint64(i), 9, quint64(i), "bob", QByteArray::number(i).rightJustified(16, '0'), "x")));
        QVERIFY(s.applyInbound(entries, 250, QStringLiteral("alice")).ok());
        const qint64 conv = *s.conversationForPeer(QStringLiteral("bob"));
        qint64 before = 0;
        qint64 expectedTop = 250;
        int pages = 0;
        while (true) {
            auto p = s.page(conv, before, 100);
            QVERIFY(p.ok());
            if (p.value().isEmpty())
                break;
            QCOMPARE(p.value().last().seq, expectedTop);
            expectedTop = p.value().first().seq - 1;
            before = p.value().first().seq;
            ++pages;
        }
        QCOMPARE(pages, 3);
        QCOMPARE(expectedTop, 0);
    }
};

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_MessageStore.moc"

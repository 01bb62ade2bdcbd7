// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end encryption through the real server: the server never sees plaintext; sessions,
// prekeys, identity changes, tampering and replays behave as a user would need them to.
#include "Clock.h"
#include "RawClient.h"
#include "ServerProcess.h"
#include "TestClient.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace chattermesh;
using namespace chattermesh::test;
using core::MessageKind;
using core::MessageState;

namespace {

int countKind(TestClient &c, const QString &peer, MessageKind kind)
{
    int n = 0;
    for (const auto &m : c.all(peer))
        n += m.kind == kind;
    return n;
}

int countText(TestClient &c, const QString &peer, const QString &prefix)
{
    int n = 0;
    for (const auto &m : c.all(peer))
        n += m.kind == MessageKind::Text && m.body.startsWith(prefix);
    return n;
}

} // namespace

class tst_EndToEnd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void canaryNeverReachesTheServer()
    {
        ServerProcess server({ QStringLiteral("--log-level"), QStringLiteral("debug") });
        QVERIFY(server.start());
        QTemporaryDir dir;
        TestClient alice(dir.path(), QStringLiteral("alice"), server.url());
        TestClient bob(dir.path(), QStringLiteral("bob"), server.url());
        QVERIFY(alice.signUp(QStringLiteral("alice")));
        QVERIFY(bob.signUp(QStringLiteral("bob")));
        const QString canary
            = QStringLiteral("CanaryPelican-%1-ultramarine").arg(QCoreApplication::applicationPid());
        for (int i = 0; i < 20; ++i)
            QVERIFY(alice->sendText(QStringLiteral("bob"), canary + QString::number(i)).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, QStringLiteral("alice"), canary), 20, 30000);
        QCOMPARE(server.terminate(), 0); // flushes the WAL into the main file too

        const QList<QByteArray> needles { canary.toUtf8(),
            QByteArray(reinterpret_cast<const char *>(canary.utf16()), canary.size() * 2),
            canary.toUtf8().toBase64(), canary.toUtf8().left(12) };
        QDirIterator it(server.dataDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            ++files;
            for (const QByteArray &n : needles)
                QVERIFY2(!bytes.contains(n), qPrintable(f.fileName()));
        }
        QVERIFY(files >= 1);
        const QByteArray logs = server.logs();
        QVERIFY(!logs.isEmpty());
        for (const QByteArray &n : needles)
            QVERIFY(!logs.contains(n));
    }

    void twoUsersTwoDevicesPrekeysRunOutAndTopUp()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        TestClient alice1(dir.path(), QStringLiteral("alice1"), server.url());
        TestClient alice2(dir.path(), QStringLiteral("alice2"), server.url());
        TestClient bob1(dir.path(), QStringLiteral("bob1"), server.url());
        TestClient bob2(dir.path(), QStringLiteral("bob2"), server.url());
        QVERIFY(alice1.signUp(QStringLiteral("alice")));
        QVERIFY(alice2.signUp(QStringLiteral("alice"), false));
        QVERIFY(bob1.signUp(QStringLiteral("bob")));
        QVERIFY(bob2.signUp(QStringLiteral("bob"), false));
        QList<TestClient *> everyone { &alice1, &alice2, &bob1, &bob2 };
        for (TestClient *c : everyone)
            QTRY_VERIFY_WITH_TIMEOUT(c->engine()->store().meta("device_id").toLongLong() > 0, 10000);

        // First half: 250 each way from each of alice1 and bob1.
        for (int i = 0; i < 250; ++i) {
            QVERIFY(alice1->sendText(QStringLiteral("bob"), QStringLiteral("a%1").arg(i)).ok());
            QVERIFY(bob1->sendText(QStringLiteral("alice"), QStringLiteral("b%1").arg(i)).ok());
        }
        for (TestClient *c : everyone)
            QTRY_COMPARE_WITH_TIMEOUT(
                c->all(c->engine()->username() == u"alice" ? QStringLiteral("bob") : QStringLiteral("alice"))
                    .size(),
                500, 60000);

        // Bob's devices go offline and someone drains their one-time prekeys.
        bob1.close();
        bob2.close();
        RawClient mallory;
        QVERIFY(mallory.open(server.url()));
        QVERIFY(mallory.hello());
        QVERIFY(mallory.registerUser(
            QStringLiteral("mallory"), QStringLiteral("correct horse battery"), QStringLiteral("m")));
        bool drained = false;
        for (int i = 0; i < 120 && !drained; ++i) {
            proto::Frame f;
            f.mutable_fetch_bundles()->set_username("bob");
            auto answer = mallory.request(f);
            QVERIFY(answer && answer->has_bundles());
            drained = true;
            for (const auto &d : answer->bundles().devices())
                drained = drained && !d.has_one_time_pre_key();
        }
        QVERIFY(drained);

        // alice1, which has seen its account's devices, is told when a new one appears.
        QSignalSpy ownDevice(alice1.engine(), &core::Engine::identityChanged);
        // A new device of alice must now start its sessions with bob from the signed prekeys alone.
        TestClient alice3(dir.path(), QStringLiteral("alice3"), server.url());
        QVERIFY(alice3.signUp(QStringLiteral("alice"), false));
        for (int i = 0; i < 250; ++i)
            QVERIFY(alice3->sendText(QStringLiteral("bob"), QStringLiteral("c%1").arg(i)).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice3->outboxSize(), 0, 60000);

        // Bob comes back, decrypts everything and tops his stock up.
        QVERIFY(bob1.open());
        QVERIFY(bob2.open());
        QSignalSpy topUp1(bob1.engine(), &core::Engine::keysUploaded);
        QSignalSpy topUp2(bob2.engine(), &core::Engine::keysUploaded);
        QVERIFY(bob1.waitOnline());
        QVERIFY(bob2.waitOnline());
        QTRY_VERIFY_WITH_TIMEOUT(!topUp1.isEmpty() && !topUp2.isEmpty(), 30000);
        QVERIFY(topUp1.last().at(0).toUInt() >= 80);
        proto::Frame f;
        f.mutable_fetch_bundles()->set_username("bob");
        auto after = mallory.request(f);
        QVERIFY(after && after->has_bundles());
        for (const auto &d : after->bundles().devices())
            QVERIFY(d.has_one_time_pre_key());

        // Second half in both directions.
        for (int i = 250; i < 500; ++i) {
            QVERIFY(alice2->sendText(QStringLiteral("bob"), QStringLiteral("a%1").arg(i)).ok());
            QVERIFY(bob2->sendText(QStringLiteral("alice"), QStringLiteral("b%1").arg(i)).ok());
        }
        everyone.append(&alice3);
        for (TestClient *c : everyone) {
            const QString peer
                = c->engine()->username() == u"alice" ? QStringLiteral("bob") : QStringLiteral("alice");
            // alice3 joined late: it has what was sent after it existed (its own 250, then 500 more).
            const int expected = c == &alice3 ? 750 : 1250;
            QTRY_COMPARE_WITH_TIMEOUT(
                c->all(peer).size() - countKind(*c, peer, MessageKind::IdentityNotice), expected, 60000);
            QCOMPARE(countKind(*c, peer, MessageKind::Undecryptable), 0);
            QCOMPARE(c->maxAnnouncements(), 1);
        }
        QCOMPARE(countText(bob1, QStringLiteral("alice"), QStringLiteral("a")), 500);
        QVERIFY(std::any_of(ownDevice.cbegin(), ownDevice.cend(), [](const QList<QVariant> &args) {
            return args.at(0).toString() == u"alice" && !args.at(1).toBool();
        }));
        QCOMPARE(countText(bob2, QStringLiteral("alice"), QStringLiteral("c")), 250);
        QCOMPARE(countText(alice1, QStringLiteral("bob"), QStringLiteral("b")), 500);
    }

    void reinstalledPeerChangesSafetyNumberAndVerifiedPeerIsHeld()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("hello")).ok());
        QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("hi")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice.all(QStringLiteral("bob")).size(), 2, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(bob.all(QStringLiteral("alice")).size(), 2, 20000);

        auto before = alice->safetyNumber(QStringLiteral("bob"));
        auto bobsView = bob->safetyNumber(QStringLiteral("alice"));
        QVERIFY(before.ok() && bobsView.ok());
        QCOMPARE(before.value().digits, bobsView.value().digits); // both sides compare the same digits
        QCOMPARE(before.value().digits.size(), 60);
        QVERIFY(alice->setVerified(QStringLiteral("bob"), true));

        // Bob reinstalls: a fresh store, a new device with a new identity, the old device removed.
        const qint64 oldDevice = bob->deviceId();
        bob.close();
        TestClient bobNew(dir.path(), QStringLiteral("bob-reinstalled"), server.url());
        QVERIFY(bobNew.signUp(QStringLiteral("bob"), false));
        bobNew->removeDevice(oldDevice);
        QSignalSpy listed(bobNew.engine(), &core::Engine::devicesListed);
        QTRY_VERIFY_WITH_TIMEOUT(!listed.isEmpty(), 10000);

        QSignalSpy changed(alice.engine(), &core::Engine::identityChanged);
        auto held = alice->sendText(QStringLiteral("bob"), QStringLiteral("are you still you?"));
        QVERIFY(held.ok());
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 20000);
        QCOMPARE(changed.first().at(0).toString(), QStringLiteral("bob"));
        QCOMPARE(changed.first().at(1).toBool(), true); // verified: sending stops
        QVERIFY(alice->isBlocked(QStringLiteral("bob")));
        QCOMPARE(countKind(alice, QStringLiteral("bob"), MessageKind::IdentityNotice), 1);
        auto afterNumber = alice->safetyNumber(QStringLiteral("bob"));
        QVERIFY(afterNumber.ok());
        QVERIFY(afterNumber.value().digits != before.value().digits);
        // Held, not sent: still pending with its outbox row, and the new device has nothing.
        QCOMPARE(alice->outboxSize(), 1);
        QCOMPARE(alice.all(QStringLiteral("bob")).last().state, MessageState::Pending);
        QCOMPARE(bobNew.all(QStringLiteral("alice")).size(), 0);

        QVERIFY(alice->acceptIdentity(QStringLiteral("bob")));
        QTRY_COMPARE_WITH_TIMEOUT(
            countText(bobNew, QStringLiteral("alice"), QStringLiteral("are you")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 20000);
        // The removed device is out of the number: both sides compare the same new digits.
        const auto aliceNow = alice->safetyNumber(QStringLiteral("bob"));
        const auto bobNow = bobNew->safetyNumber(QStringLiteral("alice"));
        QVERIFY(aliceNow.ok() && bobNow.ok());
        QCOMPARE(aliceNow.value().digits, bobNow.value().digits);
        QVERIFY(aliceNow.value().digits != before.value().digits);
    }

    void tamperedCiphertextIsRefusedResentAndReplayIgnored()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("first")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, QStringLiteral("alice"), QStringLiteral("first")), 1, 20000);
        QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("reply")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(alice, QStringLiteral("bob"), QStringLiteral("reply")), 1, 20000);

        // With bob away, flip one bit of alice's next ciphertext where it rests on the server.
        bob.close();
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("second")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 20000);
        const QString data = server.dataDir();
        const QByteArray hex = ServerProcess::sql(data,
            QStringLiteral("SELECT hex(ciphertext) FROM message_payloads "
                           "WHERE seq = 3"));
        QVERIFY(!hex.isEmpty());
        QByteArray bytes = QByteArray::fromHex(hex);
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
        ServerProcess::sql(data,
            QStringLiteral("UPDATE message_payloads SET ciphertext = X'%1' WHERE seq = 3")
                .arg(QString::fromLatin1(bytes.toHex())));
        QCOMPARE(QByteArray::fromHex(ServerProcess::sql(data,
                     QStringLiteral("SELECT hex(ciphertext) FROM message_payloads "
                                    "WHERE seq = 3"))),
            bytes);

        QVERIFY(bob.open());
        QSignalSpy failed(bob.engine(), &core::Engine::decryptFailed);
        QVERIFY(bob.waitOnline());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.first().at(1).value<crypto::CryptoError>(), crypto::CryptoError::InvalidMessage);
        // Shown as undecryptable until alice, asked by bob, re-encrypts it; then it reads normally.
        QTRY_COMPARE_WITH_TIMEOUT(
            countText(bob, QStringLiteral("alice"), QStringLiteral("second")), 1, 30000);
        QCOMPARE(countKind(bob, QStringLiteral("alice"), MessageKind::Undecryptable), 0);
        // The session still works for the next message.
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("third")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, QStringLiteral("alice"), QStringLiteral("third")), 1, 20000);

        // A replay: the server (or whoever took it) sends alice's first ciphertext again.
        const QByteArray first = QByteArray::fromHex(ServerProcess::sql(
            data, QStringLiteral("SELECT hex(ciphertext) FROM message_payloads WHERE seq = 1")));
        const int type
            = ServerProcess::sql(data, QStringLiteral("SELECT type FROM message_payloads WHERE seq = 1"))
                  .toInt();
        QVERIFY(!first.isEmpty());
        const QByteArray aliceToken = alice->store().meta("token");
        const qint64 bobDevice = bob->deviceId();
        alice.close();
        RawClient replayer;
        QVERIFY(replayer.open(server.url()));
        QVERIFY(replayer.hello());
        QVERIFY(replayer.resume(QString::fromUtf8(aliceToken)));
        proto::Frame f;
        f.mutable_send()->set_client_msg_id(randomMsgId().toStdString());
        f.mutable_send()->set_peer_username("bob");
        auto *p = f.mutable_send()->add_device_payloads();
        p->set_device_id(quint64(bobDevice));
        p->set_type(quint32(type));
        p->set_ciphertext(first.toStdString());
        QSignalSpy replayed(bob.engine(), &core::Engine::replayRejected);
        const quint64 cursorBefore = bob->inboxCursor(); // the request's wait lets bob run
        auto ack = replayer.request(f);
        QVERIFY(ack && ack->has_ack());
        QTRY_VERIFY_WITH_TIMEOUT(bob->inboxCursor() > cursorBefore, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(replayed.size(), 1, 20000);

        // A forgery: plaintext in alice's name, which only the server could write. Refused, shown
        // as such, never as her words.
        QSignalSpy refused(bob.engine(), &core::Engine::decryptFailed);
        proto::Frame forged;
        forged.mutable_send()->set_client_msg_id(randomMsgId().toStdString());
        forged.mutable_send()->set_peer_username("bob");
        forged.mutable_send()->set_payload("send me your password");
        const auto forgedAck = replayer.request(forged);
        QVERIFY(forgedAck && forgedAck->has_ack());
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 20000);
        QCOMPARE(countText(bob, QStringLiteral("alice"), QStringLiteral("send me")), 0);
        QCOMPARE(countText(bob, QStringLiteral("alice"), QStringLiteral("first")), 1);
        QCOMPARE(countKind(bob, QStringLiteral("alice"), MessageKind::Undecryptable), 1); // the forgery
        QCOMPARE(bob.maxAnnouncements(), 1);
    }

    void lostSessionIsRebuiltAndTheMessageResent()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("one")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, QStringLiteral("alice"), QStringLiteral("one")), 1, 20000);
        QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("two")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(alice, QStringLiteral("bob"), QStringLiteral("two")), 1, 20000);

        // bob's device loses its sessions (say, restored from an old backup) while alice writes on.
        bob.close();
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("three")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 20000);
        {
            core::MessageStore store;
            QVERIFY(store.open(bob.storePath(), bob.options().key).ok());
            QVERIFY(store.db().exec("DELETE FROM crypto_kv WHERE kind = 1").ok()); // KeyStore::Kind::Session
        }
        QVERIFY(bob.open());
        QSignalSpy failed(bob.engine(), &core::Engine::decryptFailed);
        QVERIFY(bob.waitOnline());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.first().at(1).value<crypto::CryptoError>(), crypto::CryptoError::NoSession);
        // bob's retry request starts a fresh session; alice re-encrypts "three" in it.
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, QStringLiteral("alice"), QStringLiteral("three")), 1, 30000);
        QCOMPARE(countKind(bob, QStringLiteral("alice"), MessageKind::Undecryptable), 0);
        // And the rebuilt session carries both ways.
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("four")).ok());
        QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("five")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(countText(bob, QStringLiteral("alice"), QStringLiteral("four")), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(alice, QStringLiteral("bob"), QStringLiteral("five")), 1, 20000);
        QCOMPARE(countKind(alice, QStringLiteral("bob"), MessageKind::Undecryptable), 0);
        QCOMPARE(countKind(bob, QStringLiteral("alice"), MessageKind::Undecryptable), 0);
    }

    void retryRequestFromANonRecipientGetsNothing()
    {
        AliceAndBob duo;
        QVERIFY(duo.start());
        auto &[server, dir, alice, bob] = duo;
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("secret from before")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            countText(bob, QStringLiteral("alice"), QStringLiteral("secret")), 1, 20000);
        const QByteArray secretId = bob.all(QStringLiteral("alice")).last().clientMsgId;

        // bob adds a device; alice learns it (and has a session with it) from her next message.
        TestClient bob2(dir.path(), QStringLiteral("bob2"), server.url());
        QVERIFY(bob2.signUp(QStringLiteral("bob"), false));
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("hello both")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            countText(bob2, QStringLiteral("alice"), QStringLiteral("hello both")), 1, 20000);

        // The server (with alice's token) re-delivers the old message to bob2 as garbage, so that
        // bob2 asks alice for it: bob2 was not a recipient of it and must get nothing.
        const QByteArray aliceToken = alice->store().meta("token");
        alice.close();
        {
            RawClient server2;
            QVERIFY(server2.open(server.url()) && server2.hello()
                && server2.resume(QString::fromUtf8(aliceToken)));
            proto::Frame f;
            f.mutable_send()->set_client_msg_id(randomMsgId().toStdString());
            f.mutable_send()->set_peer_username("bob");
            f.mutable_send()->set_resend_of(secretId.toStdString());
            auto *p = f.mutable_send()->add_device_payloads();
            p->set_device_id(quint64(bob2->deviceId()));
            p->set_type(2);
            p->set_ciphertext(std::string(64, 'g'));
            const auto ack = server2.request(f);
            QVERIFY(ack && ack->has_ack());
        }
        QTRY_COMPARE_WITH_TIMEOUT(
            countKind(bob2, QStringLiteral("alice"), MessageKind::Undecryptable), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(bob2->outboxSize(), 0, 20000); // its retry request is with the server

        QVERIFY(alice.open());
        QVERIFY(alice.waitOnline());
        // Anything alice answered would reach bob2 before this later message does.
        QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("later")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            countText(bob2, QStringLiteral("alice"), QStringLiteral("later")), 1, 20000);
        QCOMPARE(countText(bob2, QStringLiteral("alice"), QStringLiteral("secret")), 0);
        QCOMPARE(countKind(bob2, QStringLiteral("alice"), MessageKind::Undecryptable), 1);
    }

    void signedPreKeyRotatesAfterAWeek()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        sync::ManualClock clock(QDateTime::currentMSecsSinceEpoch());
        TestClient alice(dir.path(), QStringLiteral("alice"), server.url());
        alice.options().clock = &clock;
        QVERIFY(alice.signUp(QStringLiteral("alice")));
        RawClient probe;
        QVERIFY(probe.open(server.url()) && probe.hello());
        QVERIFY(probe.registerUser(
            QStringLiteral("probe"), QStringLiteral("correct horse battery"), QStringLiteral("p")));
        auto signedKeyOfAlice = [&probe]() -> std::optional<proto::SignedPreKey> {
            proto::Frame f;
            f.mutable_fetch_bundles()->set_username("alice");
            const auto answer = probe.request(f);
            if (!answer || !answer->has_bundles() || answer->bundles().devices_size() != 1)
                return std::nullopt;
            return answer->bundles().devices(0).signed_pre_key();
        };
        const auto before = signedKeyOfAlice();
        QVERIFY(before);

        // Six days on, a reconnect keeps the key; eight days on, it is replaced.
        clock.advance(6LL * 24 * 3600 * 1000);
        alice->connection()->drop(QStringLiteral("test: reconnect"));
        QVERIFY(alice.waitOnline());
        QCOMPARE(signedKeyOfAlice()->id(), before->id());
        QSignalSpy uploaded(alice.engine(), &core::Engine::keysUploaded);
        clock.advance(2LL * 24 * 3600 * 1000);
        alice->connection()->drop(QStringLiteral("test: reconnect"));
        QVERIFY(alice.waitOnline());
        QTRY_VERIFY_WITH_TIMEOUT(uploaded.size() >= 1, 20000);
        const auto after = signedKeyOfAlice();
        QVERIFY(after);
        QVERIFY(after->id() != before->id());
        QVERIFY(after->public_key() != before->public_key());
        QCOMPARE(after->created_ms(), clock.nowMs());

        // A new contact starts its session from the rotated key, and alice reads it.
        TestClient bob(dir.path(), QStringLiteral("bob"), server.url());
        QVERIFY(bob.signUp(QStringLiteral("bob")));
        QVERIFY(bob->sendText(QStringLiteral("alice"), QStringLiteral("after rotation")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            countText(alice, QStringLiteral("bob"), QStringLiteral("after rotation")), 1, 20000);
        QCOMPARE(countKind(alice, QStringLiteral("bob"), MessageKind::Undecryptable), 0);
    }

    void deviceRestoredAfterCrashContinuesItsSessions()
    {
        ServerProcess server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString store = dir.filePath(QStringLiteral("bob-cli.db"));
        auto cli = [&](const QStringList &rest) {
            return QStringList { QStringLiteral("--server"), server.url().toString(),
                QStringLiteral("--store"), store, QStringLiteral("--passphrase"), QStringLiteral("pw"),
                QStringLiteral("--min-backoff-ms"), QStringLiteral("5") }
            + rest;
        };
        QProcess reg;
        reg.start(QStringLiteral(CHATTERMESH_CLI_BIN),
            cli({ QStringLiteral("register"), QStringLiteral("bob"),
                QStringLiteral("correct horse battery") }));
        QVERIFY(reg.waitForFinished(30000));
        QCOMPARE(reg.exitCode(), 0);

        TestClient alice(dir.path(), QStringLiteral("alice"), server.url());
        QVERIFY(alice.signUp(QStringLiteral("alice")));
        QProcess listener;
        listener.start(QStringLiteral(CHATTERMESH_CLI_BIN), cli({ QStringLiteral("listen") }));
        QVERIFY(listener.waitForStarted());
        for (int i = 0; i < 5; ++i)
            QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("before crash %1").arg(i)).ok());
        QByteArray out;
        // alice's engine lives on this thread: wait with the event loop running, never blocked.
        QTRY_VERIFY2_WITH_TIMEOUT(
            (out += listener.readAllStandardOutput()).count("before crash") >= 5, out.constData(), 20000);
        listener.kill(); // SIGKILL: no orderly close of the store
        QVERIFY(listener.waitForFinished(10000));

        for (int i = 0; i < 5; ++i)
            QVERIFY(alice->sendText(QStringLiteral("bob"), QStringLiteral("after crash %1").arg(i)).ok());
        QTRY_COMPARE_WITH_TIMEOUT(alice->outboxSize(), 0, 20000);
        QProcess again;
        again.start(QStringLiteral(CHATTERMESH_CLI_BIN),
            cli({ QStringLiteral("listen"), QStringLiteral("--count"), QStringLiteral("5") }));
        QTRY_VERIFY_WITH_TIMEOUT(again.state() == QProcess::NotRunning, 30000);
        QCOMPARE(again.exitCode(), 0);
        const QByteArray after = again.readAllStandardOutput();
        for (int i = 0; i < 5; ++i)
            QVERIFY2(after.contains("after crash " + QByteArray::number(i)), after.constData());
        QVERIFY(!after.contains("before crash")); // stored and acked before the crash: not again
        // And the restored device can still answer in the same sessions.
        QProcess reply;
        reply.start(QStringLiteral(CHATTERMESH_CLI_BIN),
            cli({ QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("still"),
                QStringLiteral("here") }));
        QTRY_VERIFY_WITH_TIMEOUT(reply.state() == QProcess::NotRunning, 30000);
        QCOMPARE(reply.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            countText(alice, QStringLiteral("bob"), QStringLiteral("still here")), 1, 20000);
        QCOMPARE(countKind(alice, QStringLiteral("bob"), MessageKind::Undecryptable), 0);

        // The restored device reads out the same safety number alice's engine computes.
        QProcess safety;
        safety.start(
            QStringLiteral(CHATTERMESH_CLI_BIN), cli({ QStringLiteral("safety"), QStringLiteral("alice") }));
        QTRY_VERIFY_WITH_TIMEOUT(safety.state() == QProcess::NotRunning, 30000);
        QCOMPARE(safety.exitCode(), 0);
        QString line;
        for (const QString &l : QString::fromUtf8(safety.readAllStandardOutput()).split(QLatin1Char('\n')))
            if (l.startsWith(QLatin1String("safety\t")))
                line = l;
        const QStringList fields = line.split(QLatin1Char('\t'));
        QCOMPARE(fields.size(), 4);
        QCOMPARE(fields[0], QStringLiteral("safety"));
        const auto expected = alice->safetyNumber(QStringLiteral("bob"));
        QVERIFY(expected.ok());
        QCOMPARE(QString(fields[2]).remove(QLatin1Char(' ')), expected.value().digits);
        QCOMPARE(fields[3], QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(tst_EndToEnd)
#include "tst_EndToEnd.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Pairwise Signal sessions through SignalContext: bundles, ratchet, prekey consumption, tampering,
// replays, restarts, identity changes, out-of-order delivery and several devices per user.
#include "GlobalContext.h"
#include "MemoryKeyStore.h"
#include "SignalContext.h"

#include <QTest>
#include <signal/curve.h>
#include <signal/protocol.h>
#include <signal/session_record.h>

using namespace chattermesh;
using namespace chattermesh::crypto;

namespace {

constexpr qint64 kNow = 1'700'000'000'000;

// One device: its store, its context and the one-time prekeys it published.
struct Device {
    Address address;
    std::unique_ptr<MemoryKeyStore> store = std::make_unique<MemoryKeyStore>();
    std::unique_ptr<SignalContext> ctx;
    QList<OneTimePreKeyPublic> preKeys;

    explicit Device(const QString &name, qint32 deviceId = 1, int preKeyCount = 10)
        : address { name, deviceId }
    {
        restart();
        if (!ctx->generateIdentity(kNow).ok())
            qFatal("generateIdentity failed");
        if (preKeyCount > 0)
            preKeys = ctx->generateOneTimePreKeys(preKeyCount).value();
    }
    // A process restart: a new context over what the old one persisted.
    void restart()
    {
        ctx.reset();
        auto created = SignalContext::create(*store);
        if (!created.ok())
            qFatal("SignalContext::create failed");
        ctx = std::move(created).value();
    }
    PreKeyBundle bundle(std::optional<OneTimePreKeyPublic> oneTime) const
    {
        return { ctx->registrationId(), address.deviceId, ctx->identityPublicKey(),
            ctx->currentSignedPreKey(), oneTime };
    }
};

QByteArray payload(int i)
{
    return QByteArray("message #") + QByteArray::number(i) + QByteArray(i % 50, '.');
}

// Sends one message from a to b and checks it arrives; returns the ciphertext type.
Ciphertext::Type roundTrip(Device &from, Device &to, const QByteArray &plain)
{
    const auto ct = from.ctx->encrypt(to.address, plain);
    if (!ct.ok())
        qFatal("encrypt failed: %s", qPrintable(ct.error().message));
    const auto back = to.ctx->decrypt(from.address, ct.value());
    if (!back.ok() || back.value() != plain)
        qFatal("decrypt failed: %s", back.ok() ? "wrong plaintext" : qPrintable(back.error().message));
    return ct->type;
}

// alice has a session with bob and bob has answered once, so both sides are in steady state.
void establish(Device &alice, Device &bob)
{
    if (!alice.ctx->processBundle(bob.address, bob.bundle(bob.preKeys.takeFirst())).ok())
        qFatal("processBundle failed");
    roundTrip(alice, bob, "hello");
    roundTrip(bob, alice, "hi");
}

QByteArray flipBit(QByteArray bytes, qsizetype index, int bit = 0)
{
    bytes[index] = char(bytes[index] ^ (1 << bit));
    return bytes;
}

} // namespace

class tst_CryptoSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thousandMessagesBothWaysWithRatchetTurns()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), 10);
        QCOMPARE(bob.ctx->identityPublicKey().size(), 33);
        QCOMPARE(bob.ctx->identityPublicKey().at(0), '\x05');
        QVERIFY(alice.ctx->processBundle(bob.address, bob.bundle(bob.preKeys.first())).ok());
        QVERIFY(alice.ctx->hasSession(bob.address));
        QVERIFY(!bob.ctx->hasSession(alice.address));

        // Until bob answers, everything alice sends carries the prekey header.
        QCOMPARE(roundTrip(alice, bob, "first"), Ciphertext::PreKey);
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), 9);
        QCOMPARE(roundTrip(alice, bob, "second"), Ciphertext::PreKey);
        QCOMPARE(roundTrip(bob, alice, "reply"), Ciphertext::Whisper);
        QCOMPARE(roundTrip(alice, bob, "third"), Ciphertext::Whisper);

        // Runs of 1..7 messages per direction: chains advance and the ratchet turns at each switch.
        int sent = 0;
        bool aliceTalks = true;
        for (int run = 1; sent < 1000; ++run, aliceTalks = !aliceTalks) {
            for (int i = 0; i < run % 7 + 1 && sent < 1000; ++i, ++sent) {
                const QByteArray plain = payload(sent);
                const auto type = aliceTalks ? roundTrip(alice, bob, plain) : roundTrip(bob, alice, plain);
                QCOMPARE(type, Ciphertext::Whisper);
            }
        }
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), 9);
    }

    void signedPreKeyOnlySession()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        QVERIFY(alice.ctx->processBundle(bob.address, bob.bundle(std::nullopt)).ok());
        QCOMPARE(roundTrip(alice, bob, "no one-time prekey left"), Ciphertext::PreKey);
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), 10); // nothing consumed
        QCOMPARE(roundTrip(bob, alice, "still works"), Ciphertext::Whisper);
        QCOMPARE(roundTrip(alice, bob, "both ways"), Ciphertext::Whisper);
    }

    void oneTimePreKeyIsConsumedOnce()
    {
        Device alice(QStringLiteral("alice")), carol(QStringLiteral("carol")), bob(QStringLiteral("bob"));
        const OneTimePreKeyPublic key = bob.preKeys.first();
        // A misbehaving server hands the same one-time prekey to two senders.
        QVERIFY(alice.ctx->processBundle(bob.address, bob.bundle(key)).ok());
        QVERIFY(carol.ctx->processBundle(bob.address, bob.bundle(key)).ok());
        const Ciphertext fromAlice1 = alice.ctx->encrypt(bob.address, "a1").value();
        const Ciphertext fromAlice2 = alice.ctx->encrypt(bob.address, "a2").value();
        const Ciphertext fromCarol = carol.ctx->encrypt(bob.address, "c1").value();

        QCOMPARE(bob.ctx->decrypt(alice.address, fromAlice1).value(), QByteArray("a1"));
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), 9);
        // What libsignal does with a second PreKey message naming the same id:
        // - from the same session (same base key) it is recognised and just decrypted;
        QCOMPARE(fromAlice2.type, Ciphertext::PreKey);
        QCOMPARE(bob.ctx->decrypt(alice.address, fromAlice2).value(), QByteArray("a2"));
        // - from another session the private key is gone: InvalidKeyId, and nothing is built.
        const auto rejected = bob.ctx->decrypt(carol.address, fromCarol);
        QVERIFY(!rejected.ok());
        QCOMPARE(rejected.error().code, CryptoError::InvalidKeyId);
        QVERIFY(!bob.ctx->hasSession(carol.address));
        // - a replay of the first one is a duplicate.
        QCOMPARE(bob.ctx->decrypt(alice.address, fromAlice1).error().code, CryptoError::DuplicateMessage);
    }

    void flippedBitIsInvalidAndSessionSurvives()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        establish(alice, bob);
        const Ciphertext ct = alice.ctx->encrypt(bob.address, QByteArray(1024, 'p')).value();
        QCOMPARE(ct.type, Ciphertext::Whisper);
        const auto tampered
            = bob.ctx->decrypt(alice.address, { ct.type, flipBit(ct.bytes, ct.bytes.size() / 2) });
        QVERIFY(!tampered.ok());
        QCOMPARE(tampered.error().code, CryptoError::InvalidMessage);
        QCOMPARE(bob.ctx->decrypt(alice.address, ct).value(), QByteArray(1024, 'p'));
        QCOMPARE(roundTrip(alice, bob, "next"), Ciphertext::Whisper);
    }

    void everyFlippedBitIsRejectedWithATypedError()
    {
        // A flip in the counter is judged before the MAC (as an old counter, i.e. a duplicate); a
        // flip in the version byte reads as a legacy message; everything else is InvalidMessage.
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        establish(alice, bob);
        const Ciphertext ct = alice.ctx->encrypt(bob.address, "short message").value();
        for (qsizetype i = 0; i < ct.bytes.size(); ++i) {
            for (int bit = 0; bit < 8; ++bit) {
                const auto r = bob.ctx->decrypt(alice.address, { ct.type, flipBit(ct.bytes, i, bit) });
                QVERIFY2(!r.ok(), qPrintable(QStringLiteral("byte %1 bit %2 accepted").arg(i).arg(bit)));
                const CryptoError code = r.error().code;
                QVERIFY2(code == CryptoError::InvalidMessage || code == CryptoError::DuplicateMessage
                        || code == CryptoError::LegacyMessage,
                    qPrintable(r.error().message));
            }
        }
        QCOMPARE(bob.ctx->decrypt(alice.address, ct).value(), QByteArray("short message"));
        QCOMPARE(roundTrip(bob, alice, "still in sync"), Ciphertext::Whisper);
    }

    void replayIsDuplicate()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        establish(alice, bob);
        const Ciphertext ct = alice.ctx->encrypt(bob.address, "once").value();
        QVERIFY(bob.ctx->decrypt(alice.address, ct).ok());
        const auto replay = bob.ctx->decrypt(alice.address, ct);
        QVERIFY(!replay.ok());
        QCOMPARE(replay.error().code, CryptoError::DuplicateMessage);
        QCOMPARE(roundTrip(alice, bob, "after the replay"), Ciphertext::Whisper);
    }

    void restartContinuesBothWays()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        establish(alice, bob);
        const Ciphertext inFlight = alice.ctx->encrypt(bob.address, "sent before the restart").value();
        const QByteArray aliceKey = alice.ctx->identityPublicKey();
        const quint32 aliceRegistration = alice.ctx->registrationId();
        alice.restart();
        bob.restart();
        QVERIFY(alice.ctx->hasIdentity());
        QCOMPARE(alice.ctx->identityPublicKey(), aliceKey);
        QCOMPARE(alice.ctx->registrationId(), aliceRegistration);
        QCOMPARE(alice.ctx->currentSignedPreKey().id, 1u);
        QCOMPARE(bob.ctx->decrypt(alice.address, inFlight).value(), QByteArray("sent before the restart"));
        QCOMPARE(roundTrip(bob, alice, "after restart"), Ciphertext::Whisper);
        QCOMPARE(roundTrip(alice, bob, "and back"), Ciphertext::Whisper);

        // A copy of the store is a snapshot a context can be rebuilt from too.
        auto snapshot = std::make_unique<MemoryKeyStore>(*bob.store);
        bob.ctx.reset();
        bob.store = std::move(snapshot);
        bob.restart();
        QCOMPARE(roundTrip(alice, bob, "from a snapshot"), Ciphertext::Whisper);
        QCOMPARE(roundTrip(bob, alice, "answered from a snapshot"), Ciphertext::Whisper);
    }

    void identityChangeIsReportedOnce()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        struct Call {
            QString name;
            QByteArray oldKey, newKey;
        };
        QList<Call> calls;
        alice.ctx->setIdentityChangedHandler(
            [&](const QString &name, const QByteArray &oldKey, const QByteArray &newKey) {
                calls.append({ name, oldKey, newKey });
            });
        establish(alice, bob);
        QVERIFY(calls.isEmpty()); // the first key of a name is trusted silently
        const QByteArray oldKey = bob.ctx->identityPublicKey();
        QCOMPARE(alice.ctx->peerIdentity(QStringLiteral("bob")), std::optional<QByteArray>(oldKey));

        Device reinstalled(QStringLiteral("bob")); // fresh store, new identity, same address
        const QByteArray newKey = reinstalled.ctx->identityPublicKey();
        QVERIFY(alice.ctx->processBundle(bob.address, reinstalled.bundle(reinstalled.preKeys.first())).ok());
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls[0].name, QStringLiteral("bob"));
        QCOMPARE(calls[0].oldKey, oldKey);
        QCOMPARE(calls[0].newKey, newKey);
        QCOMPARE(alice.ctx->peerIdentity(QStringLiteral("bob")), std::optional<QByteArray>(newKey));
        QCOMPARE(alice.ctx->peerIdentity(bob.address), std::optional<QByteArray>(newKey));

        QCOMPARE(roundTrip(alice, reinstalled, "to the new bob"), Ciphertext::PreKey);
        QCOMPARE(roundTrip(reinstalled, alice, "from the new bob"), Ciphertext::Whisper);
        QVERIFY(alice.ctx->processBundle(bob.address, reinstalled.bundle(std::nullopt)).ok());
        QCOMPARE(calls.size(), 1); // the same new key again is not news
    }

    void forgedPreKeyMessageChangesNothing()
    {
        // libsignal 2.3.3 saves the sender's identity from a PreKey message before checking its
        // MAC. A forged message (alice's, re-wrapped with mallory's identity key) must neither
        // change alice's stored key nor report a change nor consume a prekey.
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob")), mallory(QStringLiteral("mallory"));
        int changes = 0;
        bob.ctx->setIdentityChangedHandler(
            [&](const QString &, const QByteArray &, const QByteArray &) { ++changes; });
        establish(alice, bob);
        QVERIFY(alice.ctx->processBundle(bob.address, bob.bundle(bob.preKeys.first())).ok()); // a new session
        const Ciphertext genuine = alice.ctx->encrypt(bob.address, "genuine").value();
        QCOMPARE(genuine.type, Ciphertext::PreKey);

        auto global = GlobalContext::create().value();
        SignalPtr<pre_key_signal_message> parsed;
        QVERIFY(pre_key_signal_message_deserialize(
                    parsed.out(), bytes(genuine.bytes), size_t(genuine.bytes.size()), global->get())
            >= 0);
        const QByteArray malloryKey = mallory.ctx->identityPublicKey();
        SignalPtr<ec_public_key> forgedIdentity;
        QVERIFY(curve_decode_point(
                    forgedIdentity.out(), bytes(malloryKey), size_t(malloryKey.size()), global->get())
            >= 0);
        const uint32_t preKeyId = pre_key_signal_message_get_pre_key_id(parsed.get());
        SignalPtr<pre_key_signal_message> forged;
        QVERIFY(pre_key_signal_message_create(forged.out(),
                    pre_key_signal_message_get_message_version(parsed.get()),
                    pre_key_signal_message_get_registration_id(parsed.get()), &preKeyId,
                    pre_key_signal_message_get_signed_pre_key_id(parsed.get()),
                    pre_key_signal_message_get_base_key(parsed.get()), forgedIdentity.get(),
                    pre_key_signal_message_get_signal_message(parsed.get()), global->get())
            >= 0);
        const QByteArray forgedBytes = toByteArray(
            ciphertext_message_get_serialized(reinterpret_cast<ciphertext_message *>(forged.get())));

        const int stock = bob.ctx->storedOneTimePreKeys();
        const auto rejected = bob.ctx->decrypt(alice.address, { Ciphertext::PreKey, forgedBytes });
        QVERIFY(!rejected.ok());
        QCOMPARE(rejected.error().code, CryptoError::InvalidMessage);
        QCOMPARE(changes, 0);
        QCOMPARE(
            bob.ctx->peerIdentity(alice.address), std::optional<QByteArray>(alice.ctx->identityPublicKey()));
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), stock);

        QCOMPARE(bob.ctx->decrypt(alice.address, genuine).value(), QByteArray("genuine"));
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), stock - 1);
        QCOMPARE(changes, 0);
    }

    void outOfOrderDelivery()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        establish(alice, bob);
        QList<Ciphertext> sent;
        for (int i = 1; i <= 5; ++i)
            sent.append(alice.ctx->encrypt(bob.address, payload(i)).value());
        for (int i : { 5, 3, 1, 2, 4 })
            QCOMPARE(bob.ctx->decrypt(alice.address, sent[i - 1]).value(), payload(i));
        QCOMPARE(bob.ctx->decrypt(alice.address, sent[2]).error().code, CryptoError::DuplicateMessage);
        QCOMPARE(roundTrip(bob, alice, "all five"), Ciphertext::Whisper);
    }

    void severalDevicesPerUser()
    {
        Device alice(QStringLiteral("alice")), bob1(QStringLiteral("bob"), 1), bob2(QStringLiteral("bob"), 2);
        Device bobby(QStringLiteral("bobby"), 1);
        int changes = 0;
        alice.ctx->setIdentityChangedHandler(
            [&](const QString &, const QByteArray &, const QByteArray &) { ++changes; });
        QVERIFY(alice.ctx->processBundle(bob1.address, bob1.bundle(bob1.preKeys.first())).ok());
        QVERIFY(alice.ctx->processBundle(bob2.address, bob2.bundle(bob2.preKeys.first())).ok());
        QVERIFY(alice.ctx->processBundle(bobby.address, bobby.bundle(bobby.preKeys.first())).ok());
        QList<qint32> devices = alice.ctx->sessionDevices(QStringLiteral("bob"));
        std::sort(devices.begin(), devices.end());
        QCOMPARE(devices, QList<qint32>({ 1, 2 }));
        QCOMPARE(alice.ctx->sessionDevices(QStringLiteral("bobby")), QList<qint32>({ 1 }));
        QVERIFY(alice.ctx->sessionDevices(QStringLiteral("bo")).isEmpty());
        // Each device has its own identity key; the second key shown under the name "bob" is a
        // change of bob's safety number, reported once (as core shows a new device).
        QCOMPARE(changes, 1);
        QCOMPARE(
            alice.ctx->peerIdentity(bob1.address), std::optional<QByteArray>(bob1.ctx->identityPublicKey()));
        QCOMPARE(
            alice.ctx->peerIdentity(bob2.address), std::optional<QByteArray>(bob2.ctx->identityPublicKey()));

        QCOMPARE(roundTrip(alice, bob1, "to device 1"), Ciphertext::PreKey);
        QCOMPARE(roundTrip(alice, bob2, "to device 2"), Ciphertext::PreKey);
        QCOMPARE(roundTrip(bob2, alice, "from device 2"), Ciphertext::Whisper);
        QCOMPARE(roundTrip(bob1, alice, "from device 1"), Ciphertext::Whisper);
        alice.ctx->deleteSession(bob2.address);
        QCOMPARE(alice.ctx->sessionDevices(QStringLiteral("bob")), QList<qint32>({ 1 }));
        QCOMPARE(alice.ctx->encrypt(bob2.address, "gone").error().code, CryptoError::NoSession);
        QCOMPARE(changes, 1);
    }

    void typedErrors()
    {
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        QCOMPARE(alice.ctx->encrypt(bob.address, "no session").error().code, CryptoError::NoSession);
        QCOMPARE(bob.ctx->decrypt(alice.address, { Ciphertext::Whisper, "garbage" }).error().code,
            CryptoError::InvalidMessage);
        QCOMPARE(bob.ctx->decrypt(alice.address, { Ciphertext::PreKey, QByteArray() }).error().code,
            CryptoError::InvalidMessage);
        QCOMPARE(bob.ctx->decrypt(alice.address, { Ciphertext::Type(7), "x" }).error().code,
            CryptoError::InvalidMessage);

        PreKeyBundle forged = bob.bundle(bob.preKeys.first());
        forged.signedPreKey.signature = flipBit(forged.signedPreKey.signature, 5);
        QCOMPARE(alice.ctx->processBundle(bob.address, forged).error().code, CryptoError::InvalidKey);
        forged = bob.bundle(std::nullopt);
        forged.identityKey.chop(1);
        QCOMPARE(alice.ctx->processBundle(bob.address, forged).error().code, CryptoError::InvalidKey);
        QVERIFY(!alice.ctx->hasSession(bob.address));

        MemoryKeyStore empty;
        auto blank = SignalContext::create(empty).value();
        QVERIFY(!blank->hasIdentity());
        QCOMPARE(blank->encrypt(bob.address, "x").error().code, CryptoError::NoIdentity);
        QCOMPARE(blank->generateOneTimePreKeys(1).error().code, CryptoError::NoIdentity);
        QVERIFY(blank->generateIdentity(kNow).ok());
        QCOMPARE(
            blank->generateIdentity(kNow).error().code, CryptoError::Internal); // never silently replaced

        MemoryKeyStore failing;
        failing.setFailWrites(true);
        auto readOnly = SignalContext::create(failing).value();
        QCOMPARE(readOnly->generateIdentity(kNow).error().code, CryptoError::StoreFailed);
        QVERIFY(!readOnly->hasIdentity());
    }

    void sessionWithoutSendingChainIsTypedError()
    {
        // Upstream bug #129: a stored session whose state has no sending chain made encrypt fail with
        // a bare SG_ERR_UNKNOWN. Plant such a record (a fresh, empty one) and expect NoSession.
        Device alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
        auto global = GlobalContext::create().value();
        SignalPtr<session_record> record;
        QVERIFY(session_record_create(record.out(), nullptr, global->get()) >= 0);
        BufferPtr serialized;
        QVERIFY(session_record_serialize(serialized.out(), record.get()) >= 0);
        QVERIFY(alice.store->store(KeyStore::Kind::Session,
            "bob\x1f"
            "1",
            toByteArray(serialized.get())));
        QVERIFY(!alice.ctx->hasSession(bob.address)); // stored, but cannot send
        QCOMPARE(alice.ctx->sessionDevices(QStringLiteral("bob")), QList<qint32>({ 1 }));
        const auto r = alice.ctx->encrypt(bob.address, "x");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, CryptoError::NoSession);
        QVERIFY(r.error().message.contains(QStringLiteral("#129")));
        // Rebuilding from a bundle cures it.
        QVERIFY(alice.ctx->processBundle(bob.address, bob.bundle(std::nullopt)).ok());
        QCOMPARE(roundTrip(alice, bob, "cured"), Ciphertext::PreKey);
    }

    void preKeyIdsContinueAndWrap()
    {
        Device bob(QStringLiteral("bob"));
        QCOMPARE(bob.preKeys.first().id, 1u);
        QCOMPARE(bob.preKeys.last().id, 10u);
        QCOMPARE(bob.preKeys.first().publicKey.size(), 33);
        bob.restart();
        const auto more = bob.ctx->generateOneTimePreKeys(5).value();
        QCOMPARE(more.first().id, 11u);
        QCOMPARE(more.last().id, 15u);
        QCOMPARE(bob.ctx->storedOneTimePreKeys(), 15);
        // Jump the persisted counter (internal key "next_pre_key_id") to the end of the range.
        QVERIFY(bob.store->store(KeyStore::Kind::Local, "next_pre_key_id", QByteArray::number(0xFFFFFD)));
        const auto wrapped = bob.ctx->generateOneTimePreKeys(3).value();
        QCOMPARE(wrapped[0].id, 0xFFFFFDu);
        QCOMPARE(wrapped[1].id, 0xFFFFFEu); // below libsignal's reserved 0xFFFFFF
        QCOMPARE(wrapped[2].id, 1u);
        QCOMPARE(bob.ctx->generateOneTimePreKeys(1).value().first().id, 2u);
    }

    void signedPreKeyRotation()
    {
        Device alice(QStringLiteral("alice")), carol(QStringLiteral("carol")), bob(QStringLiteral("bob"));
        const PreKeyBundle withFirst = bob.bundle(std::nullopt);
        const auto second = bob.ctx->rotateSignedPreKey(kNow + 1000).value();
        QCOMPARE(second.id, 2u);
        QCOMPARE(second.createdMs, kNow + 1000);
        QCOMPARE(bob.ctx->currentSignedPreKey().id, 2u);
        const PreKeyBundle withSecond = bob.bundle(std::nullopt);
        QCOMPARE(bob.ctx->rotateSignedPreKey(kNow + 2000).value().id, 3u);
        QCOMPARE(bob.store->count(KeyStore::Kind::SignedPreKey), 2); // current and previous only
        bob.restart();
        QCOMPARE(bob.ctx->currentSignedPreKey().id, 3u);

        QVERIFY(alice.ctx->processBundle(bob.address, withSecond).ok()); // previous key: still served
        QCOMPARE(roundTrip(alice, bob, "on the previous signed prekey"), Ciphertext::PreKey);
        QVERIFY(carol.ctx->processBundle(bob.address, withFirst).ok()); // older: deleted
        const auto stale = bob.ctx->decrypt(carol.address, carol.ctx->encrypt(bob.address, "late").value());
        QCOMPARE(stale.error().code, CryptoError::InvalidKeyId);
    }
};

QTEST_GUILESS_MAIN(tst_CryptoSession)
#include "tst_CryptoSession.moc"

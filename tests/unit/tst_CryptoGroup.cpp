// SPDX-License-Identifier: GPL-3.0-or-later
// Sender-key groups through SignalContext: distribution, fan-out decryption, re-keying by deleting
// the own sender key, tampering and replays.
#include "MemoryKeyStore.h"
#include "SignalContext.h"

#include <QTest>

using namespace chattermesh;
using namespace chattermesh::crypto;

namespace {

const QByteArray kGroup = QByteArray("group-\x00\x1f-id", 11); // opaque bytes, separators included

struct Member {
    Address address;
    MemoryKeyStore store;
    std::unique_ptr<SignalContext> ctx;

    explicit Member(const QString &name) : address { name, 1 }
    {
        ctx = SignalContext::create(store).value();
        if (!ctx->generateIdentity(0).ok())
            qFatal("generateIdentity failed");
    }
};

QByteArray flipBit(QByteArray bytes, qsizetype index)
{
    bytes[index] = char(bytes[index] ^ 0x10);
    return bytes;
}

} // namespace

class tst_CryptoGroup : public QObject {
    Q_OBJECT

    std::unique_ptr<Member> m_alice, m_bob, m_carol;

private Q_SLOTS:
    void init()
    {
        m_alice = std::make_unique<Member>(QStringLiteral("alice"));
        m_bob = std::make_unique<Member>(QStringLiteral("bob"));
        m_carol = std::make_unique<Member>(QStringLiteral("carol"));
        const QByteArray distribution = m_alice->ctx->senderKeyDistribution(kGroup, m_alice->address).value();
        QVERIFY(!distribution.isEmpty());
        // The distribution message is stable until the key is rotated.
        QCOMPARE(m_alice->ctx->senderKeyDistribution(kGroup, m_alice->address).value().size(),
            distribution.size());
        QVERIFY(m_bob->ctx->processSenderKeyDistribution(kGroup, m_alice->address, distribution).ok());
        QVERIFY(m_carol->ctx->processSenderKeyDistribution(kGroup, m_alice->address, distribution).ok());
    }

    void hundredMessagesReachEveryone()
    {
        for (int i = 0; i < 100; ++i) {
            const QByteArray plain = QByteArray("group message ") + QByteArray::number(i);
            const QByteArray ct = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, plain).value();
            QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct).value(), plain);
            QCOMPARE(m_carol->ctx->groupDecrypt(kGroup, m_alice->address, ct).value(), plain);
        }
    }

    void outOfOrderWithinTheChain()
    {
        QList<QByteArray> sent;
        for (int i = 0; i < 5; ++i)
            sent.append(m_alice->ctx->groupEncrypt(kGroup, m_alice->address, QByteArray::number(i)).value());
        for (int i : { 4, 0, 2, 1, 3 })
            QCOMPARE(
                m_bob->ctx->groupDecrypt(kGroup, m_alice->address, sent[i]).value(), QByteArray::number(i));
    }

    void rotationLeavesTheRemovedMemberOut()
    {
        const QByteArray before = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, "before").value();
        QVERIFY(m_carol->ctx->groupDecrypt(kGroup, m_alice->address, before).ok());

        // carol leaves: alice re-keys and sends the new distribution to bob only.
        m_alice->ctx->deleteSenderKey(kGroup, m_alice->address);
        const QByteArray fresh = m_alice->ctx->senderKeyDistribution(kGroup, m_alice->address).value();
        QVERIFY(m_bob->ctx->processSenderKeyDistribution(kGroup, m_alice->address, fresh).ok());
        for (int i = 0; i < 3; ++i) {
            const QByteArray plain = QByteArray("after ") + QByteArray::number(i);
            const QByteArray ct = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, plain).value();
            QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct).value(), plain);
            const auto shut = m_carol->ctx->groupDecrypt(kGroup, m_alice->address, ct);
            QVERIFY(!shut.ok());
            QCOMPARE(shut.error().code, CryptoError::NoSession); // typed: "no sender key with this id"
        }
        // bob keeps the previous state too: a message sent before the rotation still decrypts.
        QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, before).value(), QByteArray("before"));
    }

    void flippedBitIsInvalid()
    {
        const QByteArray ct
            = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, QByteArray(1024, 'g')).value();
        const auto tampered = m_bob->ctx->groupDecrypt(kGroup, m_alice->address, flipBit(ct, ct.size() / 2));
        QVERIFY(!tampered.ok());
        QCOMPARE(tampered.error().code, CryptoError::InvalidMessage);
        QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct).value(), QByteArray(1024, 'g'));
        // Truncated or garbage input never parses.
        QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct.left(20)).error().code,
            CryptoError::InvalidMessage);
        QCOMPARE(m_bob->ctx->processSenderKeyDistribution(kGroup, m_alice->address, "junk").error().code,
            CryptoError::InvalidMessage);
    }

    void duplicateIsDetected()
    {
        const QByteArray ct = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, "once").value();
        QVERIFY(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct).ok());
        const auto again = m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, CryptoError::DuplicateMessage);
    }

    void unknownSenderOrGroupIsNoSession()
    {
        const QByteArray ct = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, "hello").value();
        QCOMPARE(m_bob->ctx->groupDecrypt("other group", m_alice->address, ct).error().code,
            CryptoError::NoSession);
        QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_carol->address, ct).error().code, CryptoError::NoSession);
        // Sending needs the own key first (senderKeyDistribution creates it).
        QCOMPARE(m_bob->ctx->groupEncrypt(kGroup, m_bob->address, "x").error().code, CryptoError::NoSession);
    }

    void survivesRestart()
    {
        const QByteArray ct1 = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, "one").value();
        m_bob->ctx = SignalContext::create(m_bob->store).value();
        m_alice->ctx = SignalContext::create(m_alice->store).value();
        QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct1).value(), QByteArray("one"));
        const QByteArray ct2 = m_alice->ctx->groupEncrypt(kGroup, m_alice->address, "two").value();
        QCOMPARE(m_bob->ctx->groupDecrypt(kGroup, m_alice->address, ct2).value(), QByteArray("two"));
    }
};

QTEST_GUILESS_MAIN(tst_CryptoGroup)
#include "tst_CryptoGroup.moc"

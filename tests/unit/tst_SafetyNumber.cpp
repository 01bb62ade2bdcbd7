// SPDX-License-Identifier: GPL-3.0-or-later
// Safety numbers: the same 60 digits on both sides, a change when either identity changes, and the
// QR payload comparison.
#include "MemoryKeyStore.h"
#include "SafetyNumber.h"
#include "SignalContext.h"

#include <QRegularExpression>
#include <QTest>

using namespace chattermesh;
using namespace chattermesh::crypto;

namespace {

QByteArray newIdentity()
{
    MemoryKeyStore store;
    auto ctx = SignalContext::create(store).value();
    if (!ctx->generateIdentity(0).ok())
        qFatal("generateIdentity failed");
    return ctx->identityPublicKey();
}

} // namespace

class tst_SafetyNumber : public QObject {
    Q_OBJECT

    QByteArray m_alice, m_bob;
    const QString m_aliceName = QStringLiteral("alice");
    const QString m_bobName = QStringLiteral("bob");

private Q_SLOTS:
    void initTestCase()
    {
        m_alice = newIdentity();
        m_bob = newIdentity();
    }

    void sameDigitsOnBothSides()
    {
        const SafetyNumber mine = safetyNumber(m_aliceName, m_alice, m_bobName, m_bob).value();
        const SafetyNumber theirs = safetyNumber(m_bobName, m_bob, m_aliceName, m_alice).value();
        QCOMPARE(mine.digits.size(), 60);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9]{60}$")).match(mine.digits).hasMatch());
        QCOMPARE(theirs.digits, mine.digits);
        QCOMPARE(safetyNumber(m_aliceName, m_alice, m_bobName, m_bob).value().digits, mine.digits); // stable
    }

    void changesWhenEitherIdentityChanges()
    {
        const QString base = safetyNumber(m_aliceName, m_alice, m_bobName, m_bob).value().digits;
        const QByteArray other = newIdentity();
        QVERIFY(safetyNumber(m_aliceName, other, m_bobName, m_bob).value().digits != base);
        QVERIFY(safetyNumber(m_aliceName, m_alice, m_bobName, other).value().digits != base);
        // The names are part of the number too.
        QVERIFY(safetyNumber(QStringLiteral("mallory"), m_alice, m_bobName, m_bob).value().digits != base);
    }

    void qrPayloadComparison()
    {
        const SafetyNumber mine = safetyNumber(m_aliceName, m_alice, m_bobName, m_bob).value();
        const SafetyNumber theirs = safetyNumber(m_bobName, m_bob, m_aliceName, m_alice).value();
        QVERIFY(!mine.qrPayload.isEmpty());
        QVERIFY(compareQrPayload(mine, theirs.qrPayload));
        QVERIFY(compareQrPayload(theirs, mine.qrPayload));

        const SafetyNumber impostor = safetyNumber(m_bobName, newIdentity(), m_aliceName, m_alice).value();
        QVERIFY(!compareQrPayload(mine, impostor.qrPayload));
        QVERIFY(!compareQrPayload(mine, mine.qrPayload)); // our own screen is not the peer's
        QVERIFY(!compareQrPayload(mine, QByteArray()));
        QVERIFY(!compareQrPayload(mine, "not a fingerprint"));
    }

    void severalDevicesPerSide()
    {
        const QByteArray alice2 = newIdentity();
        const SafetyNumber mine
            = safetyNumber(m_aliceName, { m_alice, alice2 }, m_bobName, { m_bob }).value();
        const SafetyNumber theirs
            = safetyNumber(m_bobName, { m_bob }, m_aliceName, { alice2, m_alice }).value();
        QCOMPARE(theirs.digits, mine.digits); // order of the keys does not matter
        QVERIFY(compareQrPayload(mine, theirs.qrPayload));
        QVERIFY(mine.digits != safetyNumber(m_aliceName, m_alice, m_bobName, m_bob).value().digits);
        // A one-key list is the single-key form.
        QCOMPARE(
            safetyNumber(m_aliceName, QList<QByteArray> { m_alice }, m_bobName, QList<QByteArray> { m_bob })
                .value()
                .digits,
            safetyNumber(m_aliceName, m_alice, m_bobName, m_bob).value().digits);
    }

    void badKeysAreTypedErrors()
    {
        QCOMPARE(safetyNumber(m_aliceName, m_alice.left(10), m_bobName, m_bob).error().code,
            CryptoError::InvalidKey);
        QCOMPARE(safetyNumber(m_aliceName, QList<QByteArray>(), m_bobName, { m_bob }).error().code,
            CryptoError::InvalidKey);
    }
};

QTEST_GUILESS_MAIN(tst_SafetyNumber)
#include "tst_SafetyNumber.moc"

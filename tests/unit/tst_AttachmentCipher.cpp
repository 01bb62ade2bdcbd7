// SPDX-License-Identifier: GPL-3.0-or-later
// The attachment cipher and its random-access reader: round trips at block edges, the exact blob
// size, a flipped byte refused by digest or MAC, and seeks anywhere in the plaintext.
#include "AttachmentCipher.h"
#include "AttachmentReader.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh::crypto;
using namespace Qt::StringLiterals;

namespace {

QByteArray pattern(qint64 size)
{
    QByteArray b(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        b[i] = char((i * 131 + i / 977) & 0xff);
    return b;
}

QByteArray encrypt(const QByteArray &plain, const AttachmentKey &key, QByteArray *digest)
{
    QBuffer in;
    in.setData(plain);
    in.open(QIODevice::ReadOnly);
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    auto r = encryptStream(in, out, key);
    if (!r)
        return {};
    *digest = r.value().digest;
    return out.data();
}

} // namespace

class tst_AttachmentCipher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<qint64>("size");
        for (qint64 s : { 0, 1, 15, 16, 17, 65535, 65536, 65537, 1000003 })
            QTest::addRow("%lld", s) << s;
    }
    void roundTrip()
    {
        QFETCH(qint64, size);
        const QByteArray plain = pattern(size);
        const AttachmentKey key = AttachmentKey::generate();
        QByteArray digest;
        const QByteArray blob = encrypt(plain, key, &digest);
        QCOMPARE(blob.size(), AttachmentLayout::blobSize(size));
        QCOMPARE(digest, QCryptographicHash::hash(blob, QCryptographicHash::Sha256));
        if (size >= 16)
            QVERIFY(!blob.contains(plain.left(16)));
        QBuffer b;
        b.setData(blob);
        b.open(QIODevice::ReadOnly);
        auto v = verifyBlob(b, key, digest);
        QVERIFY2(v.ok(), v.ok() ? "" : qPrintable(v.error().message));
        auto d = decryptBlob(blob, key);
        QVERIFY(d.ok());
        QCOMPARE(d.value(), plain);
    }

    void piecewiseEqualsWhole()
    {
        // The stream may arrive in pieces of any size; the blob must not depend on them.
        const QByteArray plain = pattern(100'000);
        const AttachmentKey key = AttachmentKey::generate();
        const QByteArray iv(16, 'i');
        AttachmentEncryptor whole(key, iv);
        QByteArray a = whole.update(plain).value();
        a += whole.finish().value();
        AttachmentEncryptor pieces(key, iv);
        QByteArray b;
        for (qint64 at = 0; at < plain.size(); at += 7919)
            b += pieces.update(plain.mid(at, 7919)).value();
        b += pieces.finish().value();
        QCOMPARE(a, b);
        QCOMPARE(whole.digest(), pieces.digest());
    }

    void tamperedBlobRefused_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<QString>("expect");
        QTest::addRow("iv") << 3 << u"digest"_s;
        QTest::addRow("body") << 5000 << u"digest"_s;
        QTest::addRow("mac") << -1 << u"digest"_s;
    }
    void tamperedBlobRefused()
    {
        QFETCH(int, offset);
        QFETCH(QString, expect);
        const AttachmentKey key = AttachmentKey::generate();
        QByteArray digest;
        QByteArray blob = encrypt(pattern(10'000), key, &digest);
        const int at = offset < 0 ? int(blob.size()) - 1 : offset;
        blob[at] = char(blob[at] ^ 0x01);
        QBuffer b;
        b.setData(blob);
        b.open(QIODevice::ReadOnly);
        auto v = verifyBlob(b, key, digest);
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code, CryptoError::InvalidMessage);
        QVERIFY2(v.error().message.contains(expect), qPrintable(v.error().message));
        // Someone who also replaced the digest (a forged message) still fails the MAC.
        b.seek(0);
        auto forged = verifyBlob(b, key, QCryptographicHash::hash(blob, QCryptographicHash::Sha256));
        QVERIFY(!forged.ok());
        QVERIFY2(forged.error().message.contains(u"MAC"_s), qPrintable(forged.error().message));
        QVERIFY(!decryptBlob(blob, key).ok());
    }

    void wrongKeyRefused()
    {
        QByteArray digest;
        const QByteArray blob = encrypt(pattern(1000), AttachmentKey::generate(), &digest);
        QBuffer b;
        b.setData(blob);
        b.open(QIODevice::ReadOnly);
        auto v = verifyBlob(b, AttachmentKey::generate(), digest);
        QVERIFY(!v.ok());
        QVERIFY(v.error().message.contains(u"MAC"_s));
        QCOMPARE(verifyBlob(b, AttachmentKey { QByteArray(10, 'k') }, digest).error().code,
            CryptoError::InvalidKey);
    }

    void readerSeeksAnywhere()
    {
        QTemporaryDir dir;
        const QByteArray plain = pattern(300'001);
        const AttachmentKey key = AttachmentKey::generate();
        QByteArray digest;
        const QByteArray blob = encrypt(plain, key, &digest);
        QFile f(dir.filePath(u"blob"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(blob);
        f.close();
        AttachmentReader reader(f.fileName(), key);
        QVERIFY2(reader.open(QIODevice::ReadOnly), qPrintable(reader.errorString()));
        QCOMPARE(reader.size(), plain.size());
        const QByteArray all = reader.readAll();
        QCOMPARE(all.size(), plain.size());
        for (qsizetype i = 0; i < all.size(); i += 4096)
            QVERIFY2(all.mid(i, 4096) == plain.mid(i, 4096), qPrintable(QString::number(i)));
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < 200; ++i) {
            const qint64 at = rng->bounded(plain.size());
            const qint64 len = rng->bounded(70'000);
            QVERIFY(reader.seek(at));
            QCOMPARE(reader.read(len), plain.mid(at, len));
        }
        QVERIFY(reader.seek(plain.size()));
        QVERIFY(reader.atEnd());
        QVERIFY(reader.read(10).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_AttachmentCipher)
#include "tst_AttachmentCipher.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The asset service's Range parsing: one range, clipped to the blob and to one chunk.
#include "ByteRange.h"

#include <QTest>

using namespace chattermesh::server;
using Status = ByteRange::Status;

class tst_ByteRange : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<int>("status");
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("last");
        const qint64 n = 1000;
        QTest::newRow("none") << QByteArray() << n << int(Status::None) << qint64(0) << qint64(-1);
        QTest::newRow("open") << QByteArray("bytes=0-") << n << int(Status::Ok) << qint64(0) << qint64(99);
        QTest::newRow("closed") << QByteArray("bytes=10-19") << n << int(Status::Ok) << qint64(10)
                                << qint64(19);
        QTest::newRow("chunk-clipped")
            << QByteArray("bytes=10-500") << n << int(Status::Ok) << qint64(10) << qint64(109);
        QTest::newRow("end-clipped") << QByteArray("bytes=950-5000") << n << int(Status::Ok) << qint64(950)
                                     << qint64(999);
        QTest::newRow("last-byte") << QByteArray("bytes=999-") << n << int(Status::Ok) << qint64(999)
                                   << qint64(999);
        QTest::newRow("past-end") << QByteArray("bytes=1000-") << n << int(Status::Unsatisfiable) << qint64(0)
                                  << qint64(-1);
        QTest::newRow("suffix") << QByteArray("bytes=-5") << n << int(Status::Malformed) << qint64(0)
                                << qint64(-1);
        QTest::newRow("reversed") << QByteArray("bytes=5-4") << n << int(Status::Malformed) << qint64(0)
                                  << qint64(-1);
        QTest::newRow("list") << QByteArray("bytes=0-1,4-5") << n << int(Status::Malformed) << qint64(0)
                              << qint64(-1);
        QTest::newRow("unit") << QByteArray("items=0-1") << n << int(Status::Malformed) << qint64(0)
                              << qint64(-1);
        QTest::newRow("sign") << QByteArray("bytes=+1-2") << n << int(Status::Malformed) << qint64(0)
                              << qint64(-1);
        QTest::newRow("huge") << QByteArray("bytes=99999999999999999999-") << n << int(Status::Malformed)
                              << qint64(0) << qint64(-1);
    }

    void parse()
    {
        QFETCH(QByteArray, header);
        QFETCH(qint64, size);
        QFETCH(int, status);
        QFETCH(qint64, first);
        QFETCH(qint64, last);
        const ByteRange range = ByteRange::parse(header, size, 100);
        QCOMPARE(int(range.status()), status);
        if (range.status() == Status::Ok) {
            QCOMPARE(range.first(), first);
            QCOMPARE(range.last(), last);
            QCOMPARE(range.length(), last - first + 1);
        }
    }
};

QTEST_GUILESS_MAIN(tst_ByteRange)
#include "tst_ByteRange.moc"

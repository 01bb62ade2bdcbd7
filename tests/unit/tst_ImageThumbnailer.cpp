// SPDX-License-Identifier: GPL-3.0-or-later
// Image thumbnails: size and byte budget, EXIF orientation, scaled reading, typed errors. Every
// image is generated here, the EXIF one by splicing an APP1 segment into a Qt-written JPEG.
#include "ImageThumbnailer.h"

#include <QBuffer>
#include <QDataStream>
#include <QDir>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh::media;
using namespace Qt::StringLiterals;

namespace {

QByteArray encoded(const QImage &image, const char *format, int quality = 90)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    if (!writer.write(image))
        qFatal("cannot encode the test image");
    return bytes;
}

// An Exif APP1 segment holding a single IFD0 entry, Orientation (tag 0x0112, SHORT), inserted right
// after the JPEG's SOI marker.
QByteArray withOrientation(const QByteArray &jpeg, quint16 orientation)
{
    QByteArray payload("Exif\0\0", 6);
    {
        QByteArray tiff;
        QDataStream out(&tiff, QIODevice::WriteOnly);
        out.setByteOrder(QDataStream::BigEndian);
        out.writeRawData("MM", 2);
        out << quint16(42) << quint32(8); // TIFF magic, IFD0 right after the header
        out << quint16(1); // one entry
        out << quint16(0x0112) << quint16(3) << quint32(1) << orientation << quint16(0);
        out << quint32(0); // no IFD1
        payload += tiff;
    }
    QByteArray segment;
    QDataStream out(&segment, QIODevice::WriteOnly);
    out.setByteOrder(QDataStream::BigEndian);
    out << quint8(0xFF) << quint8(0xE1) << quint16(payload.size() + 2);
    segment += payload;
    Q_ASSERT(jpeg.startsWith("\xFF\xD8"));
    return jpeg.left(2) + segment + jpeg.mid(2);
}

QImage decoded(const QByteArray &jpeg)
{
    return QImage::fromData(jpeg, "JPEG");
}

bool isRed(QRgb c)
{
    return qRed(c) > 200 && qGreen(c) < 60 && qBlue(c) < 60;
}

bool isGrey(QRgb c)
{
    return qAbs(qRed(c) - 128) < 30 && qAbs(qGreen(c) - 128) < 30 && qAbs(qBlue(c) - 128) < 30;
}

} // namespace

class tst_ImageThumbnailer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write the test file");
        return path;
    }

    // Stored 400×200: grey, with a red 100×100 block in the stored top-left corner.
    static QImage markedLandscape()
    {
        QImage image(400, 200, QImage::Format_RGB32);
        image.fill(QColor(128, 128, 128));
        QPainter(&image).fillRect(0, 0, 100, 100, Qt::red);
        return image;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void largeImageIsDescribedAndThumbnailFits()
    {
        QImage image(1000, 500, QImage::Format_RGB32);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.setPixel(x, y, qRgb(x % 256, y % 256, (x + y) % 256));
        const auto result = ImageThumbnailer().describe(write(u"large.png"_s, encoded(image, "png")));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(result->size, QSize(1000, 500));
        QVERIFY(result->thumbnail.startsWith("\xFF\xD8"));
        QVERIFY(result->thumbnail.size() <= ImageThumbnailer::DefaultMaxBytes);
        QCOMPARE(decoded(result->thumbnail).size(), QSize(320, 160));
    }

    void smallImageKeepsItsSize()
    {
        QImage image(100, 50, QImage::Format_RGB32);
        image.fill(Qt::blue);
        const auto result = ImageThumbnailer().describe(write(u"small.png"_s, encoded(image, "png")));
        QVERIFY(result);
        QCOMPARE(result->size, QSize(100, 50));
        const QImage thumb = decoded(result->thumbnail);
        QCOMPARE(thumb.size(), QSize(100, 50));
        QVERIFY(qBlue(thumb.pixel(50, 25)) > 200);
    }

    // Without an orientation tag the marked corner stays where it was stored: proves the check
    // below is about the tag and not about how the test image was drawn.
    void untaggedJpegIsNotRotated()
    {
        const QByteArray jpeg = withOrientation(encoded(markedLandscape(), "jpeg"), 1);
        const auto result = ImageThumbnailer().describe(write(u"upright.jpg"_s, jpeg));
        QVERIFY(result);
        QCOMPARE(result->size, QSize(400, 200));
        const QImage thumb = decoded(result->thumbnail);
        QCOMPARE(thumb.size(), QSize(320, 160));
        QVERIFY(isRed(thumb.pixel(10, 10)));
        QVERIFY(isGrey(thumb.pixel(310, 10)));
    }

    // Orientation 6: the camera was turned a quarter clockwise; shown, the stored top-left corner
    // is the top-right one and the picture is portrait.
    void exifOrientationIsApplied()
    {
        const QByteArray jpeg = withOrientation(encoded(markedLandscape(), "jpeg"), 6);
        const auto result = ImageThumbnailer().describe(write(u"rotated.jpg"_s, jpeg));
        QVERIFY(result);
        QCOMPARE(result->size, QSize(200, 400));
        const QImage thumb = decoded(result->thumbnail);
        QCOMPARE(thumb.size(), QSize(160, 320));
        QVERIFY(isRed(thumb.pixel(150, 10)));
        QVERIFY(isGrey(thumb.pixel(10, 10)));
        QVERIFY(isGrey(thumb.pixel(150, 310)));
    }

    void noisyImageIsSqueezedUnderTheBudget()
    {
        QImage image(800, 800, QImage::Format_RGB32);
        QRandomGenerator random(42);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.setPixel(x, y, random.generate() | 0xFF000000u);
        const QString path = write(u"noise.png"_s, encoded(image, "png"));

        const auto normal = ImageThumbnailer().describe(path);
        QVERIFY(normal);
        QVERIFY(normal->thumbnail.size() <= ImageThumbnailer::DefaultMaxBytes);
        QVERIFY(!decoded(normal->thumbnail).isNull());

        // A tiny budget cannot be met by quality alone: the thumbnail also shrinks.
        const auto tight = ImageThumbnailer(320, 3 * 1024).describe(path);
        QVERIFY(tight);
        QCOMPARE(tight->size, QSize(800, 800));
        QVERIFY2(
            tight->thumbnail.size() <= 3 * 1024, QByteArray::number(tight->thumbnail.size()).constData());
        const QImage thumb = decoded(tight->thumbnail);
        QVERIFY(!thumb.isNull());
        QVERIFY(thumb.width() < 320);
        QCOMPARE(thumb.width(), thumb.height());
    }

    void transparencyBecomesWhite()
    {
        QImage image(64, 64, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        const auto result = ImageThumbnailer().describe(write(u"clear.png"_s, encoded(image, "png")));
        QVERIFY(result);
        const QRgb c = decoded(result->thumbnail).pixel(32, 32);
        QVERIFY(qRed(c) > 240 && qGreen(c) > 240 && qBlue(c) > 240);
    }

    // A photo far bigger than the allocation limit still gets a thumbnail: the JPEG is decoded at
    // (close to) the thumbnail's size, never at full size. The control shows a full decode fails.
    void largeJpegIsDecodedScaled()
    {
        QImage image(4000, 3000, QImage::Format_RGB32);
        image.fill(QColor(20, 160, 40));
        const QString path = write(u"huge.jpg"_s, encoded(image, "jpeg", 50));
        image = {};

        const int previous = QImageReader::allocationLimit();
        QImageReader::setAllocationLimit(8); // MiB; the full picture needs ~46
        const QImage full = QImageReader(path).read();
        const auto result = ImageThumbnailer().describe(path);
        QImageReader::setAllocationLimit(previous);

        QVERIFY(full.isNull());
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(result->size, QSize(4000, 3000));
        const QImage thumb = decoded(result->thumbnail);
        QCOMPARE(thumb.size(), QSize(320, 240));
        QVERIFY(qGreen(thumb.pixel(160, 120)) > 120);
    }

    void errorsAreTyped()
    {
        const auto missing = ImageThumbnailer().describe(m_dir.filePath(u"nope.png"_s));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, MediaError::FileMissing);

        QVERIFY(QDir(m_dir.path()).mkdir(u"folder.png"_s));
        const auto folder = ImageThumbnailer().describe(m_dir.filePath(u"folder.png"_s));
        QVERIFY(!folder);
        QCOMPARE(folder.error().code, MediaError::Unreadable);

        const auto garbage = ImageThumbnailer().describe(write(u"garbage.png"_s, QByteArray(300, 'x')));
        QVERIFY(!garbage);
        QCOMPARE(garbage.error().code, MediaError::UnsupportedImage);

        // A valid header over a truncated body: the size is known, the pixels are not.
        const QByteArray png = encoded(markedLandscape(), "png");
        const auto truncated = ImageThumbnailer().describe(write(u"truncated.png"_s, png.left(60)));
        QVERIFY(!truncated);
        QCOMPARE(truncated.error().code, MediaError::UnsupportedImage);
    }
};

QTEST_GUILESS_MAIN(tst_ImageThumbnailer)
#include "tst_ImageThumbnailer.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// In a plain QCoreApplication, Qt 6.4's QVideoFrame::toImage() dereferences the missing GUI
// platform integration; VideoPoster must answer with a typed error instead of crashing.
#include "VideoPoster.h"

#include <QSignalSpy>
#include <QTest>

using namespace chattermesh::media;
using namespace Qt::StringLiterals;

class tst_VideoPosterGuiless : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void needsGuiApplication()
    {
        VideoPoster poster;
        QSignalSpy ready(&poster, &VideoPoster::ready);
        QSignalSpy failed(&poster, &VideoPoster::failed);
        poster.start(QStringLiteral(CHATTERMESH_MEDIA_DATA) + u"/smpte.ogv"_s);
        QVERIFY(failed.wait(5'000));
        QCOMPARE(failed.at(0).at(0).value<MediaError>(), MediaError::NeedsGuiApplication);
        QCOMPARE(ready.count(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_VideoPosterGuiless)
#include "tst_VideoPosterGuiless.moc"

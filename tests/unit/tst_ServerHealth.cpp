// SPDX-License-Identifier: GPL-3.0-or-later
// What /readyz reports through the server's life: starting, ready, store failing and recovering,
// draining (which wins over everything).
#include "ServerHealth.h"

#include <QTest>

using namespace Qt::StringLiterals;
using chattermesh::server::ServerHealth;

class tst_ServerHealth : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lifecycle()
    {
        ServerHealth health;
        QCOMPARE(health.notReadyReason().value_or(QString()), u"starting"_s);
        health.setServing();
        QVERIFY(!health.notReadyReason());
        health.setStoreFailing(true);
        QVERIFY(health.notReadyReason().value_or(QString()).startsWith(u"store failing"_s));
        health.setStoreFailing(false);
        QVERIFY(!health.notReadyReason());
        health.setStoreFailing(true);
        health.setDraining();
        QCOMPARE(health.notReadyReason().value_or(QString()), u"draining"_s);
    }
};

QTEST_GUILESS_MAIN(tst_ServerHealth)
#include "tst_ServerHealth.moc"

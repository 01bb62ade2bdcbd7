// SPDX-License-Identifier: GPL-3.0-or-later
// The asset sweep's three rules (docs/media.md) driven with a fake clock: the rule is a pure
// function of one row and "now", so nothing waits.
#include "AssetSweepRule.h"
#include "ServerConfig.h"

#include <QTest>

using namespace chattermesh::server;
using Verdict = AssetSweepRule::Verdict;

namespace {

constexpr qint64 kHour = qint64(3600) * 1000;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kStart = qint64(1700000000) * 1000; // the fake clock's epoch

AssetRecord uploadStartedAt(qint64 createdMs)
{
    AssetRecord asset;
    asset.id = QString(32, u'a');
    asset.size = 100;
    asset.createdMs = createdMs;
    asset.activeMs = createdMs;
    return asset;
}

} // namespace

class tst_AssetSweepRule : public QObject {
    Q_OBJECT

    // The defaults: 24 h upload TTL, 24 h to be referenced, 30 days retention.
    const AssetSweepRule m_rule = AssetSweepRule::fromConfig(ServerConfig {});

private Q_SLOTS:
    void defaultsFromConfig()
    {
        const AssetSweepRule explicitRule(24 * kHour, 24 * kHour, 30 * kDay);
        AssetRecord asset = uploadStartedAt(kStart);
        for (qint64 now : { kStart, kStart + 24 * kHour - 1, kStart + 24 * kHour })
            QCOMPARE(m_rule.judge(asset, now), explicitRule.judge(asset, now));
    }

    void unfinishedUploadExpiresAfterIdleTtl()
    {
        AssetRecord asset = uploadStartedAt(kStart);
        QCOMPARE(m_rule.judge(asset, kStart), Verdict::Keep);
        QCOMPARE(m_rule.judge(asset, kStart + 24 * kHour - 1), Verdict::Keep);
        QCOMPARE(m_rule.judge(asset, kStart + 24 * kHour), Verdict::StaleUpload);
        // Activity (a PUT) restarts the idle clock.
        asset.activeMs = kStart + 20 * kHour;
        QCOMPARE(m_rule.judge(asset, kStart + 24 * kHour), Verdict::Keep);
        QCOMPARE(m_rule.judge(asset, kStart + 44 * kHour), Verdict::StaleUpload);
    }

    void finishedButUnreferenced()
    {
        AssetRecord asset = uploadStartedAt(kStart);
        asset.finishedMs = kStart + 2 * kHour;
        asset.activeMs = asset.finishedMs;
        // A finished asset is no stale upload, however long ago its last PUT was.
        QCOMPARE(m_rule.judge(asset, kStart + 25 * kHour), Verdict::Keep);
        QCOMPARE(m_rule.judge(asset, kStart + 26 * kHour - 1), Verdict::Keep);
        QCOMPARE(m_rule.judge(asset, kStart + 26 * kHour), Verdict::Unreferenced);
    }

    void referencedKeptUntilRetention()
    {
        AssetRecord asset = uploadStartedAt(kStart);
        asset.finishedMs = kStart + kHour;
        asset.referencedMs = kStart + 30 * kHour; // named by a Send late: still in time to be kept
        QCOMPARE(m_rule.judge(asset, kStart + 2 * kDay), Verdict::Keep);
        QCOMPARE(m_rule.judge(asset, kStart + 30 * kDay - 1), Verdict::Keep);
        QCOMPARE(m_rule.judge(asset, kStart + 30 * kDay), Verdict::Expired);
    }

    void retentionWinsOverEverything()
    {
        const AssetSweepRule rule(1000 * kDay, 1000 * kDay, 30 * kDay);
        AssetRecord asset = uploadStartedAt(kStart);
        asset.activeMs = kStart + 29 * kDay; // busy until yesterday
        QCOMPARE(rule.judge(asset, kStart + 30 * kDay), Verdict::Expired);
    }

    void configuredPeriods()
    {
        ServerConfig config;
        config.assetUploadTtlHours = 1;
        config.assetUnreferencedHours = 2;
        config.assetRetentionDays = 3;
        const AssetSweepRule rule = AssetSweepRule::fromConfig(config);
        AssetRecord upload = uploadStartedAt(kStart);
        QCOMPARE(rule.judge(upload, kStart + kHour), Verdict::StaleUpload);
        upload.finishedMs = kStart;
        QCOMPARE(rule.judge(upload, kStart + kHour), Verdict::Keep);
        QCOMPARE(rule.judge(upload, kStart + 2 * kHour), Verdict::Unreferenced);
        upload.referencedMs = kStart;
        QCOMPARE(rule.judge(upload, kStart + 3 * kDay - 1), Verdict::Keep);
        QCOMPARE(rule.judge(upload, kStart + 3 * kDay), Verdict::Expired);
    }

    void names()
    {
        QCOMPARE(AssetSweepRule::name(Verdict::StaleUpload), "stale upload");
        QCOMPARE(AssetSweepRule::name(Verdict::Keep), "keep");
    }
};

QTEST_GUILESS_MAIN(tst_AssetSweepRule)
#include "tst_AssetSweepRule.moc"

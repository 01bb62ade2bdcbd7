// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetSweepRule.h"

#include "ServerConfig.h"

namespace chattermesh::server {

namespace {

constexpr qint64 kHourMs = qint64(3600) * 1000;

} // namespace

AssetSweepRule::AssetSweepRule(qint64 uploadTtlMs, qint64 unreferencedMs, qint64 retentionMs)
    : m_uploadTtlMs(uploadTtlMs), m_unreferencedMs(unreferencedMs), m_retentionMs(retentionMs)
{ }

AssetSweepRule AssetSweepRule::fromConfig(const ServerConfig &config)
{
    return AssetSweepRule(config.assetUploadTtlHours * kHourMs, config.assetUnreferencedHours * kHourMs,
        config.assetRetentionDays * 24 * kHourMs);
}

AssetSweepRule::Verdict AssetSweepRule::judge(const AssetRecord &asset, qint64 nowMs) const
{
    if (nowMs - asset.createdMs >= m_retentionMs)
        return Verdict::Expired;
    if (asset.finishedMs == 0)
        return nowMs - asset.activeMs >= m_uploadTtlMs ? Verdict::StaleUpload : Verdict::Keep;
    if (asset.referencedMs == 0 && nowMs - asset.finishedMs >= m_unreferencedMs)
        return Verdict::Unreferenced;
    return Verdict::Keep;
}

const char *AssetSweepRule::name(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Keep:
        return "keep";
    case Verdict::Expired:
        return "expired";
    case Verdict::StaleUpload:
        return "stale upload";
    case Verdict::Unreferenced:
        return "unreferenced";
    }
    return "?";
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetRecord.h"

namespace chattermesh::server {

struct ServerConfig;

// Which assets the sweep deletes, as a pure function of one row and the time, so tests drive it
// with a fake clock. The three rules of docs/media.md:
//   Expired:      created at least the retention period ago (finished or not, referenced or not);
//   StaleUpload:  unfinished and idle (no create, PUT or finish) for at least the upload TTL;
//   Unreferenced: finished at least the unreferenced period ago and never named by a Send.
class AssetSweepRule {
public:
    enum class Verdict { Keep, Expired, StaleUpload, Unreferenced };

    AssetSweepRule(qint64 uploadTtlMs, qint64 unreferencedMs, qint64 retentionMs);
    static AssetSweepRule fromConfig(const ServerConfig &config);

    Verdict judge(const AssetRecord &asset, qint64 nowMs) const;
    static const char *name(Verdict verdict);

private:
    qint64 m_uploadTtlMs;
    qint64 m_unreferencedMs;
    qint64 m_retentionMs;
};

} // namespace chattermesh::server

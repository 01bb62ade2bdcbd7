// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetSweeper.h"

#include "AssetDatabase.h"
#include "AssetFiles.h"
#include "ServerLog.h"

#include <QElapsedTimer>
#include <map>

namespace chattermesh::server {

AssetSweeper::AssetSweeper(AssetDatabase &database, AssetFiles &files, AssetSweepRule rule)
    : m_database(database), m_files(files), m_rule(rule)
{ }

int AssetSweeper::run(qint64 nowMs)
{
    QElapsedTimer timer;
    timer.start();
    const auto assets = m_database.all();
    if (!assets)
        return -1;
    std::map<AssetSweepRule::Verdict, int> counts;
    int deleted = 0;
    for (const AssetRecord &asset : *assets) {
        const AssetSweepRule::Verdict verdict = m_rule.judge(asset, nowMs);
        if (verdict == AssetSweepRule::Verdict::Keep)
            continue;
        // Blob first: a crash in between leaves a row whose download answers NOT_FOUND and which
        // the next sweep deletes, rather than an orphan file nobody would ever find.
        if (!m_files.remove(asset.id) || !m_database.remove(asset.id)) {
            qCWarning(lcServer) << "asset sweep: cannot delete an asset; retrying next sweep";
            continue;
        }
        ++counts[verdict];
        ++deleted;
    }
    qCInfo(lcServer).nospace() << "asset sweep: " << assets->size() << " assets, deleted "
                               << counts[AssetSweepRule::Verdict::StaleUpload] << " stale uploads, "
                               << counts[AssetSweepRule::Verdict::Unreferenced] << " unreferenced, "
                               << counts[AssetSweepRule::Verdict::Expired] << " expired (" << timer.elapsed()
                               << " ms)";
    return deleted;
}

} // namespace chattermesh::server

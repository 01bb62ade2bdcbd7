// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetSweepRule.h"

namespace chattermesh::server {

class AssetDatabase;
class AssetFiles;

// One clean-up pass: every asset AssetSweepRule condemns loses its blob, then its row. Asset
// thread only, so no request sees an asset half deleted.
class AssetSweeper {
public:
    AssetSweeper(AssetDatabase &database, AssetFiles &files, AssetSweepRule rule);

    int run(qint64 nowMs); // how many assets were deleted; -1 if the scan failed

private:
    AssetDatabase &m_database;
    AssetFiles &m_files;
    AssetSweepRule m_rule;
};

} // namespace chattermesh::server

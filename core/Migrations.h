// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SqlDatabase.h"

namespace chattermesh::core {

// Schema migrations as an ordered list applied under PRAGMA user_version, each in its own
// transaction; a store written by a newer build is refused rather than guessed at.
int latestSchemaVersion();
StoreResult<int> migrate(SqlDatabase &db);

} // namespace chattermesh::core

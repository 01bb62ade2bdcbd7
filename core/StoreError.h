// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

namespace chattermesh::core {

enum class StoreError {
    WrongKey, // the file exists but the key does not open it; the file is left untouched
    OpenFailed, // the path cannot be opened or created
    Corrupt, // SQLite reports a malformed database
    TooNew, // written by a newer ChatterMesh (user_version above what we know)
    Sql, // any other SQLite failure; the message names the statement
    NotFound,
};

template<typename T> using StoreResult = Result<T, StoreError>;
using StoreFailure = Failure<StoreError>;

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#include "CryptoLog.h"

namespace chattermesh::crypto {
Q_LOGGING_CATEGORY(lcCrypto, "chattermesh.crypto")
} // namespace chattermesh::crypto

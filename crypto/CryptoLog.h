// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

namespace chattermesh::crypto {
// Never log keys, plaintext or ciphertext through it: names, device ids and error codes only.
Q_DECLARE_LOGGING_CATEGORY(lcCrypto)
} // namespace chattermesh::crypto

// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/: libsignal return codes turned into CryptoError values.
#pragma once

#include "CryptoError.h"

#include <signal/signal_protocol.h>

namespace chattermesh::crypto {

// Returned by our store callbacks when the KeyStore refused a write; below SG_ERR_MINIMUM so it can
// never be confused with a code of the library.
constexpr int kStoreFailedCode = SG_ERR_MINIMUM - 1;

CryptoError errorFromCode(int code);
// "<operation> failed: <what> (<code>)".
Failure<CryptoError> signalFailure(int code, const char *operation);
// For a message that does not even parse: corrupt (InvalidMessage), whatever code the parser chose,
// except a legacy version or an allocation failure.
Failure<CryptoError> parseFailure(int code, const char *operation);
Failure<CryptoError> cryptoFailure(CryptoError error, const QString &message);

} // namespace chattermesh::crypto

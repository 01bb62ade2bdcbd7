// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

namespace chattermesh::crypto {

// Every way a crypto operation can fail, as seen by the layers above. libsignal's many codes are
// folded into these; the Failure message names the operation that failed.
enum class CryptoError {
    NoIdentity, // this device has no identity yet (generateIdentity was never run)
    NoSession, // no usable session / sender key for that peer: fetch a bundle or a distribution
    InvalidMessage, // bad MAC, corrupted, flipped bit, truncated, unparsable
    DuplicateMessage, // replay: the message key was already used
    InvalidKey, // a key in a bundle or argument does not decode or its signature fails
    InvalidKeyId, // the one-time or signed prekey named by a message is unknown or already used
    UntrustedIdentity,
    LegacyMessage, // protocol version older than 3
    StoreFailed, // the KeyStore refused a write
    Internal,
};

template<typename T> using CryptoResult = Result<T, CryptoError>;

} // namespace chattermesh::crypto

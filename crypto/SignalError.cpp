// SPDX-License-Identifier: GPL-3.0-or-later
#include "SignalError.h"

namespace chattermesh::crypto {

namespace {

QString describe(int code)
{
    switch (code) {
    case SG_ERR_NOMEM:
        return QStringLiteral("out of memory");
    case SG_ERR_INVAL:
        return QStringLiteral("invalid argument");
    case SG_ERR_DUPLICATE_MESSAGE:
        return QStringLiteral("duplicate message");
    case SG_ERR_INVALID_KEY:
        return QStringLiteral("invalid key");
    case SG_ERR_INVALID_KEY_ID:
        return QStringLiteral("unknown or used prekey id");
    case SG_ERR_INVALID_MAC:
        return QStringLiteral("bad MAC");
    case SG_ERR_INVALID_MESSAGE:
        return QStringLiteral("invalid message");
    case SG_ERR_INVALID_VERSION:
        return QStringLiteral("unsupported version");
    case SG_ERR_LEGACY_MESSAGE:
        return QStringLiteral("legacy message");
    case SG_ERR_NO_SESSION:
        return QStringLiteral("no session");
    case SG_ERR_STALE_KEY_EXCHANGE:
        return QStringLiteral("stale key exchange");
    case SG_ERR_UNTRUSTED_IDENTITY:
        return QStringLiteral("untrusted identity");
    case SG_ERR_VRF_SIG_VERIF_FAILED:
        return QStringLiteral("signature verification failed");
    case SG_ERR_INVALID_PROTO_BUF:
        return QStringLiteral("malformed protobuf");
    case SG_ERR_FP_VERSION_MISMATCH:
        return QStringLiteral("fingerprint version mismatch");
    case SG_ERR_FP_IDENT_MISMATCH:
        return QStringLiteral("fingerprint identifier mismatch");
    case kStoreFailedCode:
        return QStringLiteral("key store write failed");
    default:
        return QStringLiteral("internal error");
    }
}

} // namespace

CryptoError errorFromCode(int code)
{
    switch (code) {
    case SG_ERR_INVALID_MESSAGE:
    case SG_ERR_INVALID_MAC:
        return CryptoError::InvalidMessage;
    case SG_ERR_DUPLICATE_MESSAGE:
        return CryptoError::DuplicateMessage;
    case SG_ERR_NO_SESSION:
        return CryptoError::NoSession;
    case SG_ERR_INVALID_KEY_ID:
        return CryptoError::InvalidKeyId;
    case SG_ERR_UNTRUSTED_IDENTITY:
        return CryptoError::UntrustedIdentity;
    case SG_ERR_LEGACY_MESSAGE:
        return CryptoError::LegacyMessage;
    case SG_ERR_INVALID_KEY:
        return CryptoError::InvalidKey;
    case kStoreFailedCode:
        return CryptoError::StoreFailed;
    default:
        return CryptoError::Internal;
    }
}

Failure<CryptoError> signalFailure(int code, const char *operation)
{
    return { errorFromCode(code),
        QStringLiteral("%1 failed: %2 (%3)").arg(QLatin1String(operation), describe(code)).arg(code) };
}

Failure<CryptoError> parseFailure(int code, const char *operation)
{
    Failure<CryptoError> f = signalFailure(code, operation);
    if (code != SG_ERR_NOMEM && code != SG_ERR_LEGACY_MESSAGE)
        f.code = CryptoError::InvalidMessage;
    return f;
}

Failure<CryptoError> cryptoFailure(CryptoError error, const QString &message)
{
    return { error, message };
}

} // namespace chattermesh::crypto

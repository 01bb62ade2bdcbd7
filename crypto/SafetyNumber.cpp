// SPDX-License-Identifier: GPL-3.0-or-later
#include "SafetyNumber.h"

#include "GlobalContext.h"
#include "SignalError.h"

#include <signal/curve.h>
#include <signal/fingerprint.h>

namespace chattermesh::crypto {

namespace {

constexpr int kIterations = 5200;
// libsignal's scannable version 1 carries the hashed fingerprints (version 0 carried raw keys and
// identifiers); it is what goes with 5200 iterations in Signal's "version 2" safety numbers.
constexpr int kScannableVersion = 1;

using KeyList = CPtr<ec_public_key_list, ec_public_key_list_free>;

CryptoResult<KeyList> decodeAll(const QList<QByteArray> &identities, signal_context *global)
{
    KeyList list(ec_public_key_list_alloc());
    if (!list)
        return cryptoFailure(CryptoError::Internal, QStringLiteral("safety number: out of memory"));
    if (identities.isEmpty())
        return cryptoFailure(CryptoError::InvalidKey, QStringLiteral("safety number: no identity key"));
    for (const QByteArray &identity : identities) {
        SignalPtr<ec_public_key> key;
        int rc = curve_decode_point(key.out(), bytes(identity), size_t(identity.size()), global);
        if (rc >= 0)
            rc = ec_public_key_list_push_back(list.get(), key.get()); // takes its own reference
        if (rc < 0) {
            Failure<CryptoError> f = signalFailure(rc, "safety number: decode identity key");
            f.code = CryptoError::InvalidKey;
            return f;
        }
    }
    return list;
}

CryptoResult<SafetyNumber> fromFingerprint(int rc, const fingerprint *value)
{
    if (rc < 0)
        return signalFailure(rc, "safety number");
    SafetyNumber out;
    out.digits = QString::fromLatin1(displayable_fingerprint_text(fingerprint_get_displayable(value)));
    BufferPtr payload;
    if ((rc = scannable_fingerprint_serialize(payload.out(), fingerprint_get_scannable(value))) < 0)
        return signalFailure(rc, "safety number: serialize QR payload");
    out.qrPayload = toByteArray(payload.get());
    return out;
}

} // namespace

CryptoResult<SafetyNumber> safetyNumber(const QString &localName, const QByteArray &localIdentity,
    const QString &remoteName, const QByteArray &remoteIdentity)
{
    return safetyNumber(
        localName, QList<QByteArray> { localIdentity }, remoteName, QList<QByteArray> { remoteIdentity });
}

CryptoResult<SafetyNumber> safetyNumber(const QString &localName, const QList<QByteArray> &localIdentities,
    const QString &remoteName, const QList<QByteArray> &remoteIdentities)
{
    auto global = GlobalContext::create();
    if (!global)
        return global.error();
    signal_context *ctx = global.value()->get();
    auto local = decodeAll(localIdentities, ctx);
    if (!local)
        return local.error();
    auto remote = decodeAll(remoteIdentities, ctx);
    if (!remote)
        return remote.error();
    CPtr<fingerprint_generator, fingerprint_generator_free> generator;
    int rc = fingerprint_generator_create(generator.out(), kIterations, kScannableVersion, ctx);
    if (rc < 0)
        return signalFailure(rc, "safety number: create generator");
    SignalPtr<fingerprint> value;
    const QByteArray localId = localName.toUtf8();
    const QByteArray remoteId = remoteName.toUtf8();
    // A one-key list hashes exactly like fingerprint_generator_create_for, so single-device users
    // get the same digits as any other libsignal client would show.
    rc = fingerprint_generator_create_for_list(generator.get(), localId.constData(), local.value().get(),
        remoteId.constData(), remote.value().get(), value.out());
    return fromFingerprint(rc, value.get());
}

bool compareQrPayload(const SafetyNumber &mine, const QByteArray &scanned)
{
    auto global = GlobalContext::create();
    if (!global || mine.qrPayload.isEmpty() || scanned.isEmpty())
        return false;
    signal_context *ctx = global.value()->get();
    SignalPtr<scannable_fingerprint> ours;
    SignalPtr<scannable_fingerprint> theirs;
    if (scannable_fingerprint_deserialize(
            ours.out(), bytes(mine.qrPayload), size_t(mine.qrPayload.size()), ctx)
            < 0
        || scannable_fingerprint_deserialize(theirs.out(), bytes(scanned), size_t(scanned.size()), ctx) < 0)
        return false;
    // 1 = match; 0 = different keys; negative = another version or other identifiers.
    return scannable_fingerprint_compare(ours.get(), theirs.get()) == 1;
}

} // namespace chattermesh::crypto

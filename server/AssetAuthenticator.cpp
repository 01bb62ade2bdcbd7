// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetAuthenticator.h"

#include "AssetDatabase.h"
#include "TokenFactory.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

// A base64url token is 43 characters; anything much longer is not one of ours.
constexpr qsizetype kMaxTokenChars = 128;

} // namespace

AssetAuthenticator::AssetAuthenticator(AssetDatabase &database) : m_database(database) { }

Result<AssetCaller, AssetError> AssetAuthenticator::authenticate(
    const QByteArray &authorization, qint64 nowMs)
{
    const Failure<AssetError> invalid { AssetError::InvalidToken, u"a valid bearer token is required"_s };
    const QByteArray trimmed = authorization.trimmed();
    if (!trimmed.startsWith("Bearer "))
        return invalid;
    const QByteArray token = trimmed.mid(7).trimmed();
    if (token.isEmpty() || token.size() > kMaxTokenChars)
        return invalid;
    const QByteArray hash = TokenFactory::hash(QString::fromLatin1(token));

    if (auto found = m_cache.constFind(hash); found != m_cache.constEnd()) {
        if (nowMs < found->validUntilMs)
            return found->caller;
        m_cache.erase(found);
    }
    const auto owner = m_database.tokenOwner(hash);
    if (owner.failed)
        return Failure<AssetError> { AssetError::Internal, u"storage failure"_s };
    if (!owner.value || nowMs >= owner.value->expiresMs)
        return invalid;
    if (m_cache.size() >= kCacheMax)
        m_cache.clear(); // crude, but bounded; the next requests refill it
    const AssetCaller caller { owner.value->userId, owner.value->deviceId };
    m_cache.insert(hash, Cached { caller, std::min(nowMs + kCacheMs, owner.value->expiresMs) });
    return caller;
}

} // namespace chattermesh::server

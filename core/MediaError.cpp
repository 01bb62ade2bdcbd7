// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaError.h"

namespace chattermesh::core {

QString mediaErrorName(MediaError e)
{
    switch (e) {
    case MediaError::None:
        return QStringLiteral("NONE");
    case MediaError::SourceUnreadable:
        return QStringLiteral("SOURCE_UNREADABLE");
    case MediaError::TooLarge:
        return QStringLiteral("TOO_LARGE");
    case MediaError::InvalidToken:
        return QStringLiteral("INVALID_TOKEN");
    case MediaError::NotFound:
        return QStringLiteral("NOT_FOUND");
    case MediaError::PermissionDenied:
        return QStringLiteral("PERMISSION_DENIED");
    case MediaError::DigestMismatch:
        return QStringLiteral("DIGEST_MISMATCH");
    case MediaError::Network:
        return QStringLiteral("NETWORK");
    case MediaError::Server:
        return QStringLiteral("SERVER");
    case MediaError::Cancelled:
        return QStringLiteral("CANCELLED");
    case MediaError::Storage:
        return QStringLiteral("STORAGE");
    case MediaError::Unsupported:
        return QStringLiteral("UNSUPPORTED");
    case MediaError::Untrusted:
        return QStringLiteral("UNTRUSTED");
    }
    return QStringLiteral("UNKNOWN");
}

MediaError mediaErrorFromCode(const QString &code)
{
    if (code == u"TOO_LARGE")
        return MediaError::TooLarge;
    if (code == u"INVALID_TOKEN")
        return MediaError::InvalidToken;
    if (code == u"NOT_FOUND")
        return MediaError::NotFound;
    if (code == u"PERMISSION_DENIED")
        return MediaError::PermissionDenied;
    if (code == u"DIGEST_MISMATCH")
        return MediaError::DigestMismatch;
    if (code == u"SERVER_SHUTTING_DOWN")
        return MediaError::Network; // a restart: try again
    return MediaError::Server;
}

} // namespace chattermesh::core

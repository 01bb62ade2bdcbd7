// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QMetaType>
#include <QString>

namespace chattermesh::core {

// Every way moving an attachment can fail, as the app sees it. The asset service's HTTP error codes
// (docs/media.md) map onto these one to one where they can reach a client.
enum class MediaError {
    None,
    SourceUnreadable, // the file to send is missing or cannot be read
    TooLarge, // over the server's limit for its kind (TOO_LARGE)
    InvalidToken, // the device token was refused (INVALID_TOKEN)
    NotFound, // the asset is gone: expired, deleted, never finished (NOT_FOUND)
    PermissionDenied, // not this user's upload (PERMISSION_DENIED)
    DigestMismatch, // the downloaded bytes are not the ones sent (or their MAC fails): never shown
    Network, // the server could not be reached; retried with backoff
    Server, // the server answered with something this client does not expect
    Cancelled, // the user cancelled
    Storage, // a local file or the store could not be written
    Unsupported, // not what it was sent as: e.g. a "voice note" no decoder can play
    Untrusted, // the asset service's certificate did not verify, or is not the server's pinned key
};

QString mediaErrorName(MediaError e);

// The HTTP error `code` of docs/media.md (e.g. "TOO_LARGE") as a MediaError.
MediaError mediaErrorFromCode(const QString &code);

template<typename T> using MediaResult = Result<T, MediaError>;

} // namespace chattermesh::core

Q_DECLARE_METATYPE(chattermesh::core::MediaError)

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaError.h"
#include "SqlDatabase.h"

#include <QList>
#include <optional>

namespace chattermesh::core {

// Where an attachment's bytes are. Kept in the store so an upload or download goes on after a
// restart from where the server says it stopped; progress itself is not stored (the server's
// offset is the truth).
enum class TransferState : int {
    Preparing = 0, // upload: describing and encrypting the file into the spool
    Uploading = 1,
    Downloading = 2,
    Paused = 3, // by the user; stays paused across restarts
    Failed = 4, // for good (too large, gone, tampered); `error` says why
    Done = 5,
    Cancelled = 6,
};

QString transferStateName(TransferState s);

struct Transfer {
    qint64 message = 0; // messages.local_id
    bool upload = true;
    TransferState state = TransferState::Preparing;
    QString source; // upload: the plaintext file the user picked
    QString file; // upload: the ciphertext spool; download: the encrypted cache blob
    QString assetId; // set once the server created the upload
    MediaError error = MediaError::None;
    QString errorText;
};

class TransferStore {
public:
    explicit TransferStore(SqlDatabase &db) : m_db(db) { }

    StoreResult<Unit> add(const Transfer &t, qint64 nowMs);
    StoreResult<Unit> setState(qint64 message, TransferState state, qint64 nowMs,
        MediaError error = MediaError::None, const QString &errorText = {});
    StoreResult<Unit> setAsset(qint64 message, const QString &assetId, qint64 nowMs);
    std::optional<Transfer> get(qint64 message);
    // Transfers a restart should pick up again: preparing, uploading or downloading.
    StoreResult<QList<Transfer>> active();
    // Plaintext sources still to be encrypted into a spool: uploads preparing, or paused before
    // they were sealed (their content has no key yet, so a resume prepares again).
    StoreResult<QStringList> unsealedSources();

private:
    SqlDatabase &m_db;
};

} // namespace chattermesh::core

Q_DECLARE_METATYPE(chattermesh::core::TransferState)

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SqlDatabase.h"

#include <QHash>
#include <QSet>

namespace chattermesh::core {

// Per-conversation state that only this device keeps: what the user had typed but not sent, so it survives
// closing the chat and restarting the app. Drafts are message text, so they live in the encrypted store like
// messages. A conversation is named the way the UI names it: the peer's user name, or "#<group server id>" (a
// chat with someone new has no conversation row yet, but can have a draft).
class DraftStore {
public:
    explicit DraftStore(SqlDatabase &db) : m_db(db) { }

    // An empty (or all-whitespace) text removes the draft.
    StoreResult<Unit> save(const QString &conversation, const QString &text, qint64 nowMs);
    StoreResult<QString> get(const QString &conversation);
    // Every draft at once, for the conversation list's previews.
    StoreResult<QHash<QString, QString>> all();

    // Muted conversations raise no notification. Local to this device, and inside the encrypted
    // store because the list of whom one talks to is private too.
    StoreResult<Unit> setMuted(const QString &conversation, bool muted);
    StoreResult<QSet<QString>> muted();

private:
    SqlDatabase &m_db;
};

} // namespace chattermesh::core

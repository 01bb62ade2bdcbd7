// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreTypes.h"

#include <functional>

namespace chattermesh::server {

class SqliteDatabase;

// The per-device mailboxes inside the SQLite store: allocating inbox_seq, appending message and
// receipt rows, and reading a page back as MailboxEntry values. Writer thread only.
class SqliteMailbox {
public:
    static constexpr int kKindMessage = 0;
    static constexpr int kKindReceipt = 1;

    // Members (usernames, sorted) of a 1:1 conversation; nullopt on a storage failure.
    using DirectMembers = std::function<std::optional<QStringList>(quint64 conversationId)>;

    explicit SqliteMailbox(SqliteDatabase &db) : m_db(db) { }

    std::optional<quint64> nextInboxSeq(quint64 deviceId);
    // A conversation's next seq: what every mailbox row points at.
    static std::optional<quint64> nextSeq(SqliteDatabase &db, quint64 conversationId);
    // Each returns the new row's inbox_seq, nullopt when SQLite fails.
    std::optional<quint64> addMessage(quint64 deviceId, quint64 conversationId, quint64 seq);
    std::optional<quint64> addReceipt(quint64 deviceId, quint64 conversationId, quint64 seq, quint64 byUser,
        qint64 timeMs, proto::ReceiptStatus status);
    StoreResult<MailboxPage> read(
        quint64 deviceId, quint64 afterInboxSeq, PageBound bound, const DirectMembers &directMembers);

private:
    SqliteDatabase &m_db;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreTypes.h"

namespace chattermesh::server {

class SqliteDatabase;
class SqliteMailbox;

// Read markers inside the SQLite store: the highest seq each member has read, and the durable READ
// receipts a rising marker sends to the reader's other devices and to the senders it covers.
class SqliteReadMarkers {
public:
    SqliteReadMarkers(SqliteDatabase &db, SqliteMailbox &mailbox) : m_db(db), m_mailbox(mailbox) { }

    StoreResult<MarkReadOutcome> markRead(const MarkReadRequest &request);

private:
    // Appends a READ receipt for every device in `devices` to `pushes`.
    bool notify(const std::vector<quint64> &devices, const proto::Receipt &receipt, quint64 readerUser,
        std::vector<MailboxPush> &pushes);
    std::optional<std::vector<quint64>> devicesOf(quint64 userId, quint64 exceptDevice);
    Failure<proto::ErrorCode> internal(const char *what) const;

    SqliteDatabase &m_db;
    SqliteMailbox &m_mailbox;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteReadMarkers.h"

#include "ServerLog.h"
#include "SqliteDatabase.h"
#include "SqliteMailbox.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

Failure<proto::ErrorCode> SqliteReadMarkers::internal(const char *what) const
{
    qCWarning(lcServer) << "store:" << what << "failed:" << m_db.lastError();
    return Failure<proto::ErrorCode> { proto::INTERNAL, u"storage failure"_s };
}

std::optional<std::vector<quint64>> SqliteReadMarkers::devicesOf(quint64 userId, quint64 exceptDevice)
{
    SqliteStatement select
        = m_db.prepare("SELECT id FROM devices WHERE user_id = ? AND removed = 0 AND id != ? ORDER BY id");
    select.bindInt(1, qint64(userId)).bindInt(2, qint64(exceptDevice));
    std::vector<quint64> out;
    while (select.nextRow())
        out.push_back(quint64(select.int64(0)));
    if (select.failed())
        return std::nullopt;
    return out;
}

bool SqliteReadMarkers::notify(const std::vector<quint64> &devices, const proto::Receipt &receipt,
    quint64 readerUser, std::vector<MailboxPush> &pushes)
{
    for (quint64 device : devices) {
        const auto inboxSeq = m_mailbox.addReceipt(
            device, receipt.conversation_id(), receipt.seq(), readerUser, receipt.time_ms(), proto::READ);
        if (!inboxSeq)
            return false;
        MailboxPush &push = pushes.emplace_back();
        push.deviceId = device;
        push.entry.set_inbox_seq(*inboxSeq);
        *push.entry.mutable_receipt() = receipt;
    }
    return true;
}

StoreResult<MarkReadOutcome> SqliteReadMarkers::markRead(const MarkReadRequest &request)
{
    quint64 old = 0, last = 0;
    QString reader;
    bool readerOff = false;
    {
        SqliteStatement select = m_db.prepare(
            "SELECT m.last_read_seq, c.next_seq - 1, u.username, u.read_receipts_off FROM members m "
            "JOIN conversations c ON c.id = m.conversation_id JOIN users u ON u.id = m.user_id "
            "WHERE m.conversation_id = ? AND m.user_id = ?");
        if (!select.bindInt(1, qint64(request.conversationId)).bindInt(2, qint64(request.userId)).nextRow())
            return select.failed()
                ? internal("read marker lookup")
                : Failure<proto::ErrorCode> { proto::CONVERSATION_NOT_FOUND, u"no such conversation"_s };
        old = quint64(select.int64(0));
        last = quint64(select.int64(1));
        reader = select.text(2);
        readerOff = select.int64(3) != 0;
    }
    MarkReadOutcome outcome;
    outcome.marker = std::max(old, std::min(request.upToSeq, last));
    if (outcome.marker == old)
        return outcome; // never lowered; nothing new to tell anyone
    SqliteStatement update
        = m_db.prepare("UPDATE members SET last_read_seq = ? WHERE conversation_id = ? AND user_id = ?");
    update.bindInt(1, qint64(outcome.marker)).bindInt(2, qint64(request.conversationId));
    if (!update.bindInt(3, qint64(request.userId)).run())
        return internal("read marker update");

    proto::Receipt receipt;
    receipt.set_conversation_id(request.conversationId);
    receipt.set_seq(outcome.marker);
    receipt.set_by_user(reader.toStdString());
    receipt.set_status(proto::READ);
    receipt.set_time_ms(request.nowMs);
    // The reader's other devices always learn the marker: it is what keeps unread counts in step.
    const auto own = devicesOf(request.userId, request.deviceId);
    if (!own || !notify(*own, receipt, request.userId, outcome.pushes))
        return internal("own read receipts");
    if (readerOff)
        return outcome; // sends none

    // Every other current member who sent a message (not a system event) the marker now covers,
    // unless that member turned read receipts off (then it sees none).
    std::vector<quint64> senders;
    {
        SqliteStatement select = m_db.prepare(
            "SELECT DISTINCT msg.sender_user FROM messages msg "
            "JOIN members mm ON mm.conversation_id = msg.conversation_id AND mm.user_id = msg.sender_user "
            "JOIN users u ON u.id = msg.sender_user "
            "WHERE msg.conversation_id = ? AND msg.seq > ? AND msg.seq <= ? AND msg.event IS NULL "
            "AND msg.sender_user != ? AND u.read_receipts_off = 0");
        select.bindInt(1, qint64(request.conversationId)).bindInt(2, qint64(old));
        select.bindInt(3, qint64(outcome.marker)).bindInt(4, qint64(request.userId));
        while (select.nextRow())
            senders.push_back(quint64(select.int64(0)));
        if (select.failed())
            return internal("read receipt senders");
    }
    for (quint64 sender : senders) {
        const auto devices = devicesOf(sender, 0);
        if (!devices || !notify(*devices, receipt, request.userId, outcome.pushes))
            return internal("read receipts");
    }
    return outcome;
}

} // namespace chattermesh::server

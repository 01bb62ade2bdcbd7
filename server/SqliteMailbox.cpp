// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteMailbox.h"

#include "ServerLog.h"
#include "SqliteDatabase.h"

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kConversationGroup = 1;
// Beyond the variable columns counted: the numbers, the members of a 1:1 conversation (two
// usernames), and each field's tag and length, with the entry's own inside the SyncBatch.
constexpr qint64 kEntryOverhead = 512;

} // namespace

std::optional<quint64> SqliteMailbox::nextInboxSeq(quint64 deviceId)
{
    const auto next = m_db.takeNext("UPDATE devices SET next_inbox_seq = next_inbox_seq + 1 WHERE id = ?",
        "SELECT next_inbox_seq FROM devices WHERE id = ?", qint64(deviceId));
    if (!next)
        return std::nullopt;
    return quint64(*next);
}

std::optional<quint64> SqliteMailbox::nextSeq(SqliteDatabase &db, quint64 conversationId)
{
    const auto next = db.takeNext("UPDATE conversations SET next_seq = next_seq + 1 WHERE id = ?",
        "SELECT next_seq FROM conversations WHERE id = ?", qint64(conversationId));
    if (!next)
        return std::nullopt;
    return quint64(*next);
}

std::optional<quint64> SqliteMailbox::addMessage(quint64 deviceId, quint64 conversationId, quint64 seq)
{
    const auto inboxSeq = nextInboxSeq(deviceId);
    if (!inboxSeq)
        return std::nullopt;
    SqliteStatement row = m_db.prepare(
        "INSERT INTO mailbox(device_id, inbox_seq, kind, conversation_id, seq) VALUES(?, ?, ?, ?, ?)");
    row.bindInt(1, qint64(deviceId)).bindInt(2, qint64(*inboxSeq)).bindInt(3, kKindMessage);
    if (!row.bindInt(4, qint64(conversationId)).bindInt(5, qint64(seq)).run())
        return std::nullopt;
    return inboxSeq;
}

std::optional<quint64> SqliteMailbox::addReceipt(quint64 deviceId, quint64 conversationId, quint64 seq,
    quint64 byUser, qint64 timeMs, proto::ReceiptStatus status)
{
    const auto inboxSeq = nextInboxSeq(deviceId);
    if (!inboxSeq)
        return std::nullopt;
    SqliteStatement row
        = m_db.prepare("INSERT INTO mailbox(device_id, inbox_seq, kind, conversation_id, seq, "
                       "receipt_by_user, receipt_time_ms, receipt_status) "
                       "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    row.bindInt(1, qint64(deviceId)).bindInt(2, qint64(*inboxSeq)).bindInt(3, kKindReceipt);
    row.bindInt(4, qint64(conversationId)).bindInt(5, qint64(seq)).bindInt(6, qint64(byUser));
    if (!row.bindInt(7, timeMs).bindInt(8, int(status)).run())
        return std::nullopt;
    return inboxSeq;
}

StoreResult<MailboxPage> SqliteMailbox::read(
    quint64 deviceId, quint64 afterInboxSeq, PageBound bound, const DirectMembers &directMembers)
{
    auto internal = [this](const char *what) {
        qCWarning(lcServer) << "store:" << what << "failed:" << m_db.lastError();
        return Failure<proto::ErrorCode> { proto::INTERNAL, u"storage failure"_s };
    };
    SqliteStatement select = m_db.prepare(
        "SELECT mb.inbox_seq, mb.kind, mb.conversation_id, mb.seq, rb.username, mb.receipt_time_ms, "
        "       m.sender_device, m.client_msg_id, m.server_time_ms, coalesce(mp.ciphertext, m.payload), "
        "       su.username, coalesce(mp.type, m.payload_type), mb.receipt_status, c.kind, m.event, "
        "       kd.type, kd.ciphertext "
        "FROM mailbox mb "
        "JOIN messages m ON m.conversation_id = mb.conversation_id AND m.seq = mb.seq "
        "JOIN users su ON su.id = m.sender_user "
        "JOIN conversations c ON c.id = mb.conversation_id "
        "LEFT JOIN message_payloads mp ON mp.conversation_id = mb.conversation_id AND mp.seq = mb.seq "
        "     AND mp.device_id = mb.device_id "
        "LEFT JOIN key_distributions kd ON kd.conversation_id = mb.conversation_id AND kd.seq = mb.seq "
        "     AND kd.device_id = mb.device_id "
        "LEFT JOIN users rb ON rb.id = mb.receipt_by_user "
        "WHERE mb.device_id = ? AND mb.inbox_seq > ? ORDER BY mb.inbox_seq LIMIT ?");
    // One row more than asked tells whether another batch follows.
    const int limit = bound.entries;
    select.bindInt(1, qint64(deviceId)).bindInt(2, qint64(afterInboxSeq)).bindInt(3, qint64(limit) + 1);
    MailboxPage page;
    struct Row {
        quint64 conversationId;
        bool direct;
        proto::MailboxEntry entry;
    };
    std::vector<Row> rows;
    qint64 bytes = 0;
    while (select.nextRow()) {
        // The byte bound is checked before anything is copied: a page of three large messages must
        // not first copy the 500 rows the entry bound allows.
        bytes += select.bytes(4) + select.bytes(7) + select.bytes(9) + select.bytes(10) + select.bytes(14)
            + select.bytes(16) + kEntryOverhead;
        if (int(rows.size()) == limit || (bytes > bound.bytes && !rows.empty())) {
            page.more = true;
            break;
        }
        Row &row = rows.emplace_back();
        row.conversationId = quint64(select.int64(2));
        row.direct = select.int64(13) != kConversationGroup;
        proto::MailboxEntry &entry = row.entry;
        entry.set_inbox_seq(quint64(select.int64(0)));
        if (select.int64(1) == kKindReceipt) {
            proto::Receipt *receipt = entry.mutable_receipt();
            const auto status = proto::ReceiptStatus(select.int64(12));
            receipt->set_conversation_id(row.conversationId);
            receipt->set_seq(quint64(select.int64(3)));
            if (status == proto::DELIVERED)
                receipt->set_client_msg_id(select.blobString(7)); // READ is a marker: no message id
            receipt->set_by_user(select.text(4).toStdString());
            receipt->set_status(status);
            receipt->set_time_ms(select.int64(5));
            continue;
        }
        proto::Message *message = entry.mutable_message();
        message->mutable_conversation()->set_conversation_id(row.conversationId);
        if (!row.direct)
            message->mutable_conversation()->set_kind(proto::GROUP);
        message->set_seq(quint64(select.int64(3)));
        message->set_sender(select.text(10).toStdString());
        message->set_sender_device(quint64(select.int64(6)));
        message->set_client_msg_id(select.blobString(7));
        message->set_server_time_ms(select.int64(8));
        if (!select.isNull(14)) {
            const std::string event = select.blobString(14);
            if (!message->mutable_event()->ParseFromString(event))
                return internal("group event decode");
            continue;
        }
        message->set_payload(select.blobString(9));
        message->set_payload_type(quint32(select.int64(11)));
        if (!select.isNull(15)) {
            proto::DevicePayload *key = message->mutable_key_distribution();
            key->set_device_id(deviceId);
            key->set_type(quint32(select.int64(15)));
            key->set_ciphertext(select.blobString(16));
        }
    }
    if (select.failed())
        return internal("mailbox read");
    {
        SqliteStatement head = m_db.prepare("SELECT next_inbox_seq - 1 FROM devices WHERE id = ?");
        if (!head.bindInt(1, qint64(deviceId)).nextRow())
            return internal("mailbox head");
        page.head = quint64(head.int64(0));
    }
    // Members come from a second statement, so they are filled in once the cursor above is done.
    for (Row &row : rows) {
        if (row.entry.has_message() && row.direct) {
            const auto members = directMembers(row.conversationId);
            if (!members)
                return internal("member lookup");
            for (const QString &member : *members)
                row.entry.mutable_message()->mutable_conversation()->add_members(member.toStdString());
        }
        page.entries.push_back(std::move(row.entry));
    }
    return page;
}

} // namespace chattermesh::server

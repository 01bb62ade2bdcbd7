// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteBackend.h"

#include "ServerLog.h"
#include "SqliteSchema.h"

#include <algorithm>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kKindMessage = 0;
constexpr int kKindReceipt = 1;
constexpr int kConversationDirect = 0;
constexpr int kConversationGroup = 1;

Failure<proto::ErrorCode> fail(proto::ErrorCode code, const QString &message)
{
    return Failure<proto::ErrorCode> { code, message };
}

} // namespace

SqliteBackend::SqliteBackend(QString path) : m_path(std::move(path)) { }

SqliteBackend::~SqliteBackend()
{
    close();
}

Failure<proto::ErrorCode> SqliteBackend::internal(const char *what) const
{
    // The detail goes to the log only; clients learn that the request may be retried.
    qCWarning(lcServer) << "store:" << what << "failed:" << m_db.lastError();
    return fail(proto::INTERNAL, u"storage failure"_s);
}

StoreResult<Unit> SqliteBackend::open()
{
    if (!m_db.open(m_path))
        return fail(proto::INTERNAL, u"cannot open "_s + m_path);
    // WAL lets a future read-only connection run beside the writer; FULL makes every COMMIT durable,
    // which is what lets an Ack promise durability.
    {
        SqliteStatement wal = m_db.prepare("PRAGMA journal_mode = WAL");
        if (!wal.nextRow() || wal.text(0) != u"wal"_s)
            return fail(proto::INTERNAL, u"cannot enable WAL: "_s + m_db.lastError());
    }
    // Statement journals (a multi-row statement that may abort) stay in memory rather than in a
    // temp file; when jobs ran in savepoints, their sub-journals spilled there at every batch.
    if (!m_db.exec("PRAGMA synchronous = FULL") || !m_db.exec("PRAGMA busy_timeout = 5000")
        || !m_db.exec("PRAGMA temp_store = MEMORY"))
        return fail(proto::INTERNAL, m_db.lastError());
    QString error;
    if (!SqliteSchema::migrate(m_db, &error))
        return fail(proto::INTERNAL, error);
    return Unit {};
}

void SqliteBackend::close()
{
    m_db.close();
}

bool SqliteBackend::beginBatch()
{
    return m_db.prepare("BEGIN IMMEDIATE").run();
}

bool SqliteBackend::commitBatch()
{
    return m_db.prepare("COMMIT").run();
}

void SqliteBackend::rollbackBatch()
{
    m_memberCache.clear();
    m_kindCache.clear();
    m_db.exec("ROLLBACK");
}

std::optional<quint64> SqliteBackend::insertDevice(quint64 userId, const QString &name, qint64 nowMs)
{
    SqliteStatement insert
        = m_db.prepare("INSERT INTO devices(user_id, name, created_ms, last_seen_ms) VALUES(?, ?, ?, ?)");
    if (!insert.bindInt(1, qint64(userId)).bindText(2, name).bindInt(3, nowMs).bindInt(4, nowMs).run())
        return std::nullopt;
    return quint64(m_db.lastInsertId());
}

bool SqliteBackend::insertToken(const TokenGrant &token, quint64 deviceId)
{
    SqliteStatement insert = m_db.prepare("INSERT INTO tokens(hash, device_id, expires_ms) VALUES(?, ?, ?)");
    return insert.bindBlob(1, token.hash).bindInt(2, qint64(deviceId)).bindInt(3, token.expiresMs).run();
}

std::optional<quint64> SqliteBackend::nextInboxSeq(quint64 deviceId)
{
    return m_mailbox.nextInboxSeq(deviceId);
}

std::optional<std::vector<quint64>> SqliteBackend::liveDevicesOf(quint64 userId)
{
    SqliteStatement select
        = m_db.prepare("SELECT id FROM devices WHERE user_id = ? AND removed = 0 ORDER BY id");
    select.bindInt(1, qint64(userId));
    std::vector<quint64> devices;
    while (select.nextRow())
        devices.push_back(quint64(select.int64(0)));
    if (select.failed())
        return std::nullopt;
    return devices;
}

std::optional<QString> SqliteBackend::usernameOf(quint64 userId)
{
    SqliteStatement select = m_db.prepare("SELECT username FROM users WHERE id = ?");
    if (!select.bindInt(1, qint64(userId)).nextRow())
        return std::nullopt;
    return select.text(0);
}

std::optional<QStringList> SqliteBackend::membersOf(quint64 conversationId)
{
    if (auto cached = m_memberCache.constFind(conversationId); cached != m_memberCache.cend())
        return *cached;
    SqliteStatement select = m_db.prepare("SELECT u.username FROM members m JOIN users u ON u.id = m.user_id "
                                          "WHERE m.conversation_id = ? ORDER BY u.username");
    select.bindInt(1, qint64(conversationId));
    QStringList members;
    while (select.nextRow())
        members.append(select.text(0));
    if (select.failed())
        return std::nullopt;
    m_memberCache.insert(conversationId, members);
    return members;
}

std::optional<quint64> SqliteBackend::findOrCreateDirect(quint64 userA, quint64 userB)
{
    // 1:1 conversations are keyed by the ordered pair so both sides find the same row.
    const quint64 low = std::min(userA, userB);
    const quint64 high = std::max(userA, userB);
    {
        SqliteStatement select = m_db.prepare("SELECT id FROM conversations WHERE user_a = ? AND user_b = ?");
        select.bindInt(1, qint64(low)).bindInt(2, qint64(high));
        if (select.nextRow())
            return quint64(select.int64(0));
        if (select.failed())
            return std::nullopt;
    }
    SqliteStatement insert = m_db.prepare("INSERT INTO conversations(kind, user_a, user_b) VALUES(?, ?, ?)");
    if (!insert.bindInt(1, kConversationDirect).bindInt(2, qint64(low)).bindInt(3, qint64(high)).run())
        return std::nullopt;
    const quint64 id = quint64(m_db.lastInsertId());
    for (quint64 user : { low, high }) {
        SqliteStatement member = m_db.prepare("INSERT INTO members(conversation_id, user_id) VALUES(?, ?)");
        if (!member.bindInt(1, qint64(id)).bindInt(2, qint64(user)).run())
            return std::nullopt;
    }
    return id;
}

std::optional<proto::Session> SqliteBackend::sessionFor(quint64 deviceId)
{
    SqliteStatement select = m_db.prepare(
        "SELECT d.user_id, u.username FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?");
    if (!select.bindInt(1, qint64(deviceId)).nextRow())
        return std::nullopt;
    proto::Session session;
    session.set_user_id(quint64(select.int64(0)));
    session.set_device_id(deviceId);
    session.set_username(select.text(1).toStdString());
    SqliteStatement keys = m_db.prepare("SELECT 1 FROM device_keys WHERE device_id = ?");
    session.set_keys_uploaded(keys.bindInt(1, qint64(deviceId)).nextRow());
    if (const auto stock = m_keys.stock(deviceId))
        session.set_one_time_pre_keys(stock.value());
    return session;
}

StoreResult<proto::Session> SqliteBackend::createAccount(const NewAccount &account)
{
    {
        SqliteStatement exists = m_db.prepare("SELECT 1 FROM users WHERE username = ?");
        if (exists.bindText(1, account.username).nextRow())
            return fail(proto::USERNAME_TAKEN, u"username is taken"_s);
        if (exists.failed())
            return internal("username lookup");
    }
    SqliteStatement insert
        = m_db.prepare("INSERT INTO users(username, pw_salt, pw_hash, pw_iterations, created_ms) "
                       "VALUES(?, ?, ?, ?, ?)");
    insert.bindText(1, account.username).bindBlob(2, account.salt).bindBlob(3, account.passwordHash);
    if (!insert.bindInt(4, account.iterations).bindInt(5, account.nowMs).run())
        return internal("user insert");
    const quint64 userId = quint64(m_db.lastInsertId());
    const auto deviceId = insertDevice(userId, account.deviceName, account.nowMs);
    if (!deviceId || !insertToken(account.token, *deviceId))
        return internal("first device insert");
    proto::Session session;
    session.set_user_id(userId);
    session.set_device_id(*deviceId);
    session.set_username(account.username.toStdString());
    session.set_token_expires_ms(account.token.expiresMs);
    return session;
}

StoreResult<std::optional<Credentials>> SqliteBackend::credentials(const QString &username)
{
    SqliteStatement select
        = m_db.prepare("SELECT id, pw_salt, pw_hash, pw_iterations FROM users WHERE username = ?");
    if (select.bindText(1, username).nextRow())
        return std::optional<Credentials>(
            Credentials { quint64(select.int64(0)), select.blob(1), select.blob(2), int(select.int64(3)) });
    if (select.failed())
        return internal("credentials lookup");
    return std::optional<Credentials>();
}

StoreResult<proto::Session> SqliteBackend::addDevice(const NewDevice &device)
{
    const auto deviceId = insertDevice(device.userId, device.deviceName, device.nowMs);
    if (!deviceId || !insertToken(device.token, *deviceId))
        return internal("device insert");
    auto session = sessionFor(*deviceId);
    if (!session)
        return fail(proto::INVALID_CREDENTIALS, u"invalid credentials"_s); // the account vanished meanwhile
    session->set_token_expires_ms(device.token.expiresMs);
    return *session;
}

StoreResult<proto::Session> SqliteBackend::resume(const QByteArray &tokenHash, qint64 nowMs)
{
    quint64 deviceId = 0;
    qint64 expiresMs = 0;
    {
        SqliteStatement select = m_db.prepare(
            "SELECT t.device_id, t.expires_ms FROM tokens t JOIN devices d ON d.id = t.device_id "
            "WHERE t.hash = ? AND d.removed = 0");
        if (!select.bindBlob(1, tokenHash).nextRow()) {
            if (select.failed())
                return internal("token lookup");
            return fail(proto::INVALID_TOKEN, u"invalid token"_s);
        }
        deviceId = quint64(select.int64(0));
        expiresMs = select.int64(1);
    }
    if (nowMs >= expiresMs)
        return fail(proto::TOKEN_EXPIRED, u"token expired"_s);
    auto session = sessionFor(deviceId);
    if (!session)
        return internal("session lookup");
    SqliteStatement touch = m_db.prepare("UPDATE devices SET last_seen_ms = ? WHERE id = ?");
    if (!touch.bindInt(1, nowMs).bindInt(2, qint64(deviceId)).run())
        return internal("last seen update");
    session->set_token_expires_ms(expiresMs);
    return *session;
}

StoreResult<std::vector<proto::Device>> SqliteBackend::listDevices(quint64 userId, quint64 currentDevice)
{
    SqliteStatement select = m_db.prepare("SELECT id, name, created_ms, last_seen_ms FROM devices "
                                          "WHERE user_id = ? AND removed = 0 ORDER BY id");
    select.bindInt(1, qint64(userId));
    std::vector<proto::Device> devices;
    while (select.nextRow()) {
        proto::Device &device = devices.emplace_back();
        device.set_device_id(quint64(select.int64(0)));
        device.set_name(select.text(1).toStdString());
        device.set_created_ms(select.int64(2));
        device.set_last_seen_ms(select.int64(3));
        device.set_current(device.device_id() == currentDevice);
    }
    if (select.failed())
        return internal("device list");
    return devices;
}

StoreResult<Unit> SqliteBackend::removeDevice(quint64 userId, quint64 deviceId)
{
    SqliteStatement mark
        = m_db.prepare("UPDATE devices SET removed = 1 WHERE id = ? AND user_id = ? AND removed = 0");
    if (!mark.bindInt(1, qint64(deviceId)).bindInt(2, qint64(userId)).run())
        return internal("device removal");
    if (m_db.changes() == 0)
        return fail(proto::DEVICE_NOT_FOUND, u"no such device"_s);
    SqliteStatement tokens = m_db.prepare("DELETE FROM tokens WHERE device_id = ?");
    SqliteStatement mailbox = m_db.prepare("DELETE FROM mailbox WHERE device_id = ?");
    if (!tokens.bindInt(1, qint64(deviceId)).run() || !mailbox.bindInt(1, qint64(deviceId)).run())
        return internal("device cleanup");
    return Unit {};
}

StoreResult<SendOutcome> SqliteBackend::send(const SendRequest &request)
{
    SendOutcome outcome;
    proto::Ack &ack = outcome.ack;
    ack.set_client_msg_id(request.clientMsgId);
    {
        // Exactly-once: a retry after a lost Ack finds the stored row and changes nothing.
        SqliteStatement dedupe = m_db.prepare("SELECT conversation_id, seq, server_time_ms FROM messages "
                                              "WHERE sender_device = ? AND client_msg_id = ?");
        if (dedupe.bindInt(1, qint64(request.senderDevice)).bindBlob(2, request.clientMsgId).nextRow()) {
            ack.set_conversation_id(quint64(dedupe.int64(0)));
            ack.set_seq(quint64(dedupe.int64(1)));
            ack.set_server_time_ms(dedupe.int64(2));
            ack.set_duplicate(true);
            return outcome;
        }
        if (dedupe.failed())
            return internal("dedupe lookup");
    }

    if (!request.resendOf.empty())
        return resend(request);

    quint64 conversationId = request.conversationId;
    if (request.peerUsername) {
        SqliteStatement peer = m_db.prepare("SELECT id FROM users WHERE username = ?");
        if (!peer.bindText(1, *request.peerUsername).nextRow())
            return peer.failed() ? internal("peer lookup") : fail(proto::USER_NOT_FOUND, u"no such user"_s);
        const quint64 peerId = quint64(peer.int64(0));
        if (peerId == request.senderUser)
            return fail(proto::INVALID_ARGUMENT, u"cannot start a conversation with yourself"_s);
        const auto found = findOrCreateDirect(request.senderUser, peerId);
        if (!found)
            return internal("conversation insert");
        conversationId = *found;
    } else {
        SqliteStatement member = m_db.prepare("SELECT m.role, c.only_admins_send FROM members m JOIN "
                                              "conversations c ON c.id = m.conversation_id "
                                              "WHERE m.conversation_id = ? AND m.user_id = ?");
        if (!member.bindInt(1, qint64(conversationId)).bindInt(2, qint64(request.senderUser)).nextRow())
            return member.failed() ? internal("membership lookup")
                                   : fail(proto::CONVERSATION_NOT_FOUND, u"no such conversation"_s);
        if (member.int64(1) != 0 && member.int64(0) < proto::ADMIN)
            return fail(proto::PERMISSION_DENIED, u"only admins may send to this group"_s);
    }

    // Sender-key mode names the devices it covers; the comparison is the per-device one.
    std::map<quint64, DeviceCiphertext> covered;
    for (quint64 device : request.coveredDevices)
        covered.emplace(device, DeviceCiphertext {});
    const std::map<quint64, DeviceCiphertext> &addressed
        = request.coveredDevices.empty() ? request.devicePayloads : covered;
    if (!addressed.empty()) {
        QString error;
        auto mismatch = compareDevices(conversationId, request.senderDevice, addressed, false, &error);
        if (!error.isEmpty())
            return internal("device comparison");
        if (mismatch) {
            // Nothing is stored: the sender fetches the missing bundles and sends again.
            SendOutcome stale;
            stale.mismatch = std::move(mismatch);
            return stale;
        }
    }

    const auto nextConversationSeq = SqliteMailbox::nextSeq(m_db, conversationId);
    if (!nextConversationSeq)
        return internal("seq allocation");
    const quint64 seq = *nextConversationSeq;
    SqliteStatement insert = m_db.prepare(
        "INSERT INTO messages(conversation_id, seq, sender_user, sender_device, "
        "client_msg_id, server_time_ms, payload, payload_type) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bindInt(1, qint64(conversationId)).bindInt(2, qint64(seq)).bindInt(3, qint64(request.senderUser));
    insert.bindInt(4, qint64(request.senderDevice))
        .bindBlob(5, request.clientMsgId)
        .bindInt(6, request.nowMs);
    const quint32 payloadType = request.coveredDevices.empty() ? 0 : request.payloadType;
    if (!insert.bindBlob(7, request.payload).bindInt(8, payloadType).run())
        return internal("message insert");

    // Every live device of every member except the sending one, so the sender's other devices see it.
    std::vector<quint64> devices;
    {
        SqliteStatement select
            = m_db.prepare("SELECT d.id FROM members m JOIN devices d ON d.user_id = m.user_id "
                           "WHERE m.conversation_id = ? AND d.removed = 0 AND d.id != ? "
                           "ORDER BY d.id");
        select.bindInt(1, qint64(conversationId)).bindInt(2, qint64(request.senderDevice));
        while (select.nextRow())
            devices.push_back(quint64(select.int64(0)));
        if (select.failed())
            return internal("recipient lookup");
    }
    if (!addressed.empty()) {
        // Devices without keys cannot read an end-to-end message: only the addressed ones get it.
        std::erase_if(devices, [&](quint64 d) { return !addressed.count(d); });
    }
    for (const auto &[device, key] : request.keyDistributions) {
        SqliteStatement put = m_db.prepare("INSERT INTO key_distributions(conversation_id, seq, device_id, "
                                           "type, ciphertext) VALUES(?, ?, ?, ?, ?)");
        put.bindInt(1, qint64(conversationId)).bindInt(2, qint64(seq)).bindInt(3, qint64(device));
        if (!put.bindInt(4, key.type).bindBlob(5, key.ciphertext).run())
            return internal("key distribution insert");
    }
    outcome.keyDistributions = request.keyDistributions;
    if (request.coveredDevices.empty() && !request.devicePayloads.empty()) {
        for (const auto &[device, payload] : request.devicePayloads) {
            SqliteStatement put
                = m_db.prepare("INSERT INTO message_payloads(conversation_id, seq, device_id, type, "
                               "ciphertext) VALUES(?, ?, ?, ?, ?)");
            put.bindInt(1, qint64(conversationId)).bindInt(2, qint64(seq)).bindInt(3, qint64(device));
            if (!put.bindInt(4, payload.type).bindBlob(5, payload.ciphertext).run())
                return internal("payload insert");
        }
        outcome.devicePayloads = request.devicePayloads;
    }
    for (quint64 device : devices) {
        const auto inboxSeq = nextInboxSeq(device);
        if (!inboxSeq)
            return internal("inbox seq allocation");
        SqliteStatement row = m_db.prepare(
            "INSERT INTO mailbox(device_id, inbox_seq, kind, conversation_id, seq) VALUES(?, ?, ?, ?, ?)");
        row.bindInt(1, qint64(device)).bindInt(2, qint64(*inboxSeq)).bindInt(3, kKindMessage);
        if (!row.bindInt(4, qint64(conversationId)).bindInt(5, qint64(seq)).run())
            return internal("mailbox insert");
        outcome.recipients.push_back(Recipient { device, *inboxSeq });
    }

    const auto sender = usernameOf(request.senderUser);
    proto::Message &message = outcome.message;
    if (!sender || !describeConversation(conversationId, message.mutable_conversation()))
        return internal("message metadata");
    ack.set_conversation_id(conversationId);
    ack.set_seq(seq);
    ack.set_server_time_ms(request.nowMs);
    message.set_seq(seq);
    message.set_sender(sender->toStdString());
    message.set_sender_device(request.senderDevice);
    message.set_client_msg_id(request.clientMsgId);
    message.set_server_time_ms(request.nowMs);
    message.set_payload(request.payload);
    message.set_payload_type(payloadType);
    return outcome;
}

bool SqliteBackend::describeConversation(quint64 conversationId, proto::Conversation *conversation)
{
    conversation->set_conversation_id(conversationId);
    auto kind = m_kindCache.constFind(conversationId);
    if (kind == m_kindCache.cend()) {
        SqliteStatement select = m_db.prepare("SELECT kind FROM conversations WHERE id = ?");
        if (!select.bindInt(1, qint64(conversationId)).nextRow())
            return false;
        kind = m_kindCache.insert(conversationId, int(select.int64(0)));
    }
    if (*kind == kConversationGroup) {
        conversation->set_kind(proto::GROUP); // a group's members travel in GroupInfo
        return true;
    }
    const auto members = membersOf(conversationId);
    if (!members)
        return false;
    for (const QString &member : *members)
        conversation->add_members(member.toStdString());
    return true;
}

StoreResult<MailboxPage> SqliteBackend::mailbox(quint64 deviceId, quint64 afterInboxSeq, PageBound bound)
{
    return m_mailbox.read(
        deviceId, afterInboxSeq, bound, [this](quint64 conversationId) { return membersOf(conversationId); });
}

StoreResult<std::vector<MailboxPush>> SqliteBackend::deliveryAck(const DeliveryAckRequest &request)
{
    struct Delivered {
        quint64 conversationId;
        quint64 seq;
        quint64 senderUser;
        std::string clientMsgId;
    };
    std::vector<Delivered> delivered;
    {
        SqliteStatement select = m_db.prepare(
            "SELECT mb.conversation_id, mb.seq, m.sender_user, m.client_msg_id FROM mailbox mb "
            "JOIN messages m ON m.conversation_id = mb.conversation_id AND m.seq = mb.seq "
            "WHERE mb.device_id = ? AND mb.inbox_seq <= ? AND mb.kind = 0 AND m.sender_user != ? "
            "AND m.event IS NULL "
            "ORDER BY mb.inbox_seq");
        select.bindInt(1, qint64(request.deviceId)).bindInt(2, qint64(request.upToInboxSeq));
        select.bindInt(3, qint64(request.userId));
        while (select.nextRow())
            delivered.push_back(Delivered { quint64(select.int64(0)), quint64(select.int64(1)),
                quint64(select.int64(2)), select.blobString(3) });
        if (select.failed())
            return internal("acked rows read");
    }

    std::vector<MailboxPush> pushes;
    for (const Delivered &item : delivered) {
        // The first device of a user to store a message makes the receipt; later ones change nothing.
        SqliteStatement receipt = m_db.prepare(
            "INSERT OR IGNORE INTO receipts(conversation_id, seq, user_id, status) VALUES(?, ?, ?, ?)");
        receipt.bindInt(1, qint64(item.conversationId)).bindInt(2, qint64(item.seq));
        if (!receipt.bindInt(3, qint64(request.userId)).bindInt(4, proto::DELIVERED).run())
            return internal("receipt insert");
        if (m_db.changes() == 0)
            continue;
        const auto devices = liveDevicesOf(item.senderUser);
        if (!devices)
            return internal("sender devices lookup");
        for (quint64 device : *devices) {
            const auto inboxSeq = nextInboxSeq(device);
            if (!inboxSeq)
                return internal("inbox seq allocation");
            SqliteStatement row
                = m_db.prepare("INSERT INTO mailbox(device_id, inbox_seq, kind, conversation_id, seq, "
                               "receipt_by_user, receipt_time_ms) VALUES(?, ?, ?, ?, ?, ?, ?)");
            row.bindInt(1, qint64(device)).bindInt(2, qint64(*inboxSeq)).bindInt(3, kKindReceipt);
            row.bindInt(4, qint64(item.conversationId)).bindInt(5, qint64(item.seq));
            if (!row.bindInt(6, qint64(request.userId)).bindInt(7, request.nowMs).run())
                return internal("receipt mailbox insert");
            MailboxPush &push = pushes.emplace_back();
            push.deviceId = device;
            push.entry.set_inbox_seq(*inboxSeq);
            proto::Receipt *r = push.entry.mutable_receipt();
            r->set_conversation_id(item.conversationId);
            r->set_seq(item.seq);
            r->set_client_msg_id(item.clientMsgId);
            r->set_by_user(request.username.toStdString());
            r->set_status(proto::DELIVERED);
            r->set_time_ms(request.nowMs);
        }
    }

    SqliteStatement drop = m_db.prepare("DELETE FROM mailbox WHERE device_id = ? AND inbox_seq <= ?");
    if (!drop.bindInt(1, qint64(request.deviceId)).bindInt(2, qint64(request.upToInboxSeq)).run())
        return internal("mailbox trim");
    SqliteStatement touch = m_db.prepare("UPDATE devices SET last_seen_ms = ? WHERE id = ?");
    if (!touch.bindInt(1, request.nowMs).bindInt(2, qint64(request.deviceId)).run())
        return internal("last seen update");
    return pushes;
}

} // namespace chattermesh::server

namespace chattermesh::server {

std::optional<proto::DeviceMismatch> SqliteBackend::compareDevices(quint64 conversationId,
    quint64 senderDevice, const std::map<quint64, DeviceCiphertext> &payloads, bool subsetAllowed,
    QString *error)
{
    SqliteStatement select = m_db.prepare(
        "SELECT d.id, u.username FROM members m JOIN devices d ON d.user_id = m.user_id "
        "JOIN device_keys k ON k.device_id = d.id JOIN users u ON u.id = m.user_id "
        "WHERE m.conversation_id = ? AND d.removed = 0 AND d.id != ? ORDER BY u.username, d.id");
    select.bindInt(1, qint64(conversationId)).bindInt(2, qint64(senderDevice));
    std::map<quint64, QString> expected;
    while (select.nextRow())
        expected.emplace(quint64(select.int64(0)), select.text(1));
    if (select.failed()) {
        *error = u"device lookup"_s;
        return std::nullopt;
    }
    std::map<QString, std::vector<quint64>> missing, extra;
    if (!subsetAllowed) {
        for (const auto &[device, user] : expected)
            if (!payloads.count(device))
                missing[user].push_back(device);
    }
    for (const auto &[device, payload] : payloads) {
        if (expected.count(device))
            continue;
        SqliteStatement owner = m_db.prepare(
            "SELECT u.username FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?");
        extra[owner.bindInt(1, qint64(device)).nextRow() ? owner.text(0) : QString()].push_back(device);
    }
    if (missing.empty() && extra.empty())
        return std::nullopt;
    proto::DeviceMismatch mismatch;
    auto fill = [](auto *list, const std::map<QString, std::vector<quint64>> &from) {
        for (const auto &[user, devices] : from) {
            proto::UserDevices *u = list->Add();
            u->set_username(user.toStdString());
            for (quint64 d : devices)
                u->add_device_ids(d);
        }
    };
    fill(mismatch.mutable_missing(), missing);
    fill(mismatch.mutable_extra(), extra);
    return mismatch;
}

StoreResult<SendOutcome> SqliteBackend::resend(const SendRequest &request)
{
    SqliteStatement original = m_db.prepare("SELECT conversation_id, seq, server_time_ms FROM messages "
                                            "WHERE sender_device = ? AND client_msg_id = ?");
    if (!original.bindInt(1, qint64(request.senderDevice)).bindBlob(2, request.resendOf).nextRow())
        return original.failed()
            ? internal("resend lookup")
            : fail(proto::INVALID_ARGUMENT, u"resend_of names no message of this device"_s);
    const quint64 conversationId = quint64(original.int64(0));
    const quint64 seq = quint64(original.int64(1));
    const qint64 serverTime = original.int64(2);
    if (request.devicePayloads.empty())
        return fail(proto::INVALID_ARGUMENT, u"a resend needs device payloads"_s);
    SendOutcome outcome;
    proto::Ack &ack = outcome.ack;
    ack.set_client_msg_id(request.clientMsgId);
    ack.set_conversation_id(conversationId);
    ack.set_seq(seq);
    ack.set_server_time_ms(serverTime);
    {
        // A resend has its own client_msg_id; retrying it after a lost Ack must not deliver twice.
        SqliteStatement seen
            = m_db.prepare("SELECT 1 FROM resends WHERE sender_device = ? AND client_msg_id = ?");
        if (seen.bindInt(1, qint64(request.senderDevice)).bindBlob(2, request.clientMsgId).nextRow()) {
            ack.set_duplicate(true);
            return outcome;
        }
        if (seen.failed())
            return internal("resend dedupe");
    }
    QString error;
    outcome.mismatch
        = compareDevices(conversationId, request.senderDevice, request.devicePayloads, true, &error);
    if (!error.isEmpty())
        return internal("device comparison");
    // Nothing is written for a mismatch: the sender fetches the bundles and retries with the same
    // client_msg_id, which must then be delivered, not taken for a duplicate.
    if (outcome.mismatch)
        return outcome;
    {
        SqliteStatement seen = m_db.prepare("INSERT INTO resends(sender_device, client_msg_id) VALUES(?, ?)");
        if (!seen.bindInt(1, qint64(request.senderDevice)).bindBlob(2, request.clientMsgId).run())
            return internal("resend dedupe");
    }
    SqliteStatement meta = m_db.prepare("SELECT m.client_msg_id, m.sender_device, u.username FROM messages m "
                                        "JOIN users u ON u.id = m.sender_user "
                                        "WHERE m.conversation_id = ? AND m.seq = ?");
    if (!meta.bindInt(1, qint64(conversationId)).bindInt(2, qint64(seq)).nextRow())
        return internal("resend metadata");
    proto::Message &message = outcome.message;
    if (!describeConversation(conversationId, message.mutable_conversation()))
        return internal("resend members");
    message.set_seq(seq);
    message.set_sender(meta.text(2).toStdString());
    message.set_sender_device(quint64(meta.int64(1)));
    message.set_client_msg_id(meta.blobString(0));
    message.set_server_time_ms(serverTime);
    for (const auto &[device, payload] : request.devicePayloads) {
        SqliteStatement put
            = m_db.prepare("INSERT OR REPLACE INTO message_payloads(conversation_id, seq, device_id, "
                           "type, ciphertext) VALUES(?, ?, ?, ?, ?)");
        put.bindInt(1, qint64(conversationId)).bindInt(2, qint64(seq)).bindInt(3, qint64(device));
        if (!put.bindInt(4, payload.type).bindBlob(5, payload.ciphertext).run())
            return internal("resend payload");
        const auto inboxSeq = nextInboxSeq(device);
        if (!inboxSeq)
            return internal("inbox seq allocation");
        SqliteStatement row = m_db.prepare(
            "INSERT INTO mailbox(device_id, inbox_seq, kind, conversation_id, seq) VALUES(?, ?, ?, ?, ?)");
        row.bindInt(1, qint64(device)).bindInt(2, qint64(*inboxSeq)).bindInt(3, kKindMessage);
        if (!row.bindInt(4, qint64(conversationId)).bindInt(5, qint64(seq)).run())
            return internal("resend mailbox");
        outcome.recipients.push_back(Recipient { device, *inboxSeq });
    }
    outcome.devicePayloads = request.devicePayloads;
    return outcome;
}

} // namespace chattermesh::server

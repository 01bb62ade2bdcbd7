// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers for the group, receipt, typing and presence tests: users with several devices on one real
// server, frames for the issue-4 requests, and bounded waits that skip unrelated pushes.
#pragma once

#include "FrameBuilder.h"
#include "RawClient.h"
#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QTest>
#include <functional>
#include <memory>
#include <vector>

namespace chattermesh::test {

struct LiveDevice {
    std::unique_ptr<RawClient> client;
    proto::Session session;
    RawClient *operator->() const { return client.get(); }
};

struct LiveUser {
    QString name;
    std::vector<LiveDevice> devices;
    RawClient &c(size_t i = 0) const { return *devices.at(i).client; }
    quint64 device(size_t i = 0) const { return devices.at(i).session.device_id(); }
};

class LiveTestKit {
public:
    using Match = std::function<bool(const proto::Frame &)>;

    explicit LiveTestKit(QString prefix) : m_prefix(std::move(prefix)) { }

    static inline const QString kPassword = QStringLiteral("correct horse battery");

    // Registers a user with `devices` devices, each live (synced) unless `live` is false.
    std::optional<LiveUser> user(const ServerProcess &server, const QString &role, int devices = 1)
    {
        LiveUser u;
        u.name = QStringLiteral("%1%2%3").arg(m_prefix, role).arg(++m_names);
        for (int i = 0; i < devices; ++i) {
            LiveDevice d;
            d.client = std::make_unique<RawClient>();
            if (!d.client->open(server.url()) || !d.client->hello())
                return std::nullopt;
            const auto session = i == 0 ? d.client->registerUser(u.name, kPassword, QStringLiteral("laptop"))
                                        : d.client->login(u.name, kPassword, QStringLiteral("phone"));
            if (!session || !goLive(*d.client))
                return std::nullopt;
            d.session = *session;
            u.devices.push_back(std::move(d));
        }
        return u;
    }

    // Sync from 0 until caught up; the device is then live. Returns every entry (nothing is acked).
    static std::optional<std::vector<proto::MailboxEntry>> mailbox(RawClient &client)
    {
        std::vector<proto::MailboxEntry> all;
        quint64 after = 0;
        for (;;) {
            const auto batch = client.request(FrameBuilder::sync(after));
            if (!batch || !batch->has_sync_batch())
                return std::nullopt;
            for (const proto::MailboxEntry &e : batch->sync_batch().entries()) {
                all.push_back(e);
                after = e.inbox_seq();
            }
            if (!batch->sync_batch().more())
                return all;
        }
    }
    static bool goLive(RawClient &client) { return mailbox(client).has_value(); }

    // The first frame that matches, skipping (and dropping) others; nullopt after the timeout.
    static std::optional<proto::Frame> waitFor(RawClient &client, const Match &match, int timeoutMs = 10000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            auto frame = client.next(int(std::max<qint64>(1, deadline.remainingTime())));
            if (!frame)
                return std::nullopt;
            if (match(*frame))
                return frame;
        }
        return std::nullopt;
    }
    // Every frame up to and including the first match (empty if it never came).
    static std::vector<proto::Frame> framesUntil(RawClient &client, const Match &match, int timeoutMs = 10000)
    {
        std::vector<proto::Frame> seen;
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            auto frame = client.next(int(std::max<qint64>(1, deadline.remainingTime())));
            if (!frame)
                return {};
            seen.push_back(*frame);
            if (match(*frame))
                return seen;
        }
        return {};
    }

    static Match messageWithSeq(quint64 conversationId, quint64 seq)
    {
        return [=](const proto::Frame &f) {
            return f.has_deliver() && f.deliver().entry().has_message()
                && f.deliver().entry().message().conversation().conversation_id() == conversationId
                && f.deliver().entry().message().seq() == seq;
        };
    }
    static Match receipt(proto::ReceiptStatus status, const QString &by)
    {
        return [=](const proto::Frame &f) {
            return f.has_deliver() && f.deliver().entry().has_receipt()
                && f.deliver().entry().receipt().status() == status
                && QString::fromStdString(f.deliver().entry().receipt().by_user()) == by;
        };
    }
    static Match presenceOf(const QString &username)
    {
        return [=](const proto::Frame &f) {
            return f.has_presence() && QString::fromStdString(f.presence().username()) == username;
        };
    }

    static proto::ErrorCode errorOf(const std::optional<proto::Frame> &frame)
    {
        return frame && frame->has_error() ? frame->error().code() : proto::ERROR_NONE;
    }

    static proto::Frame createGroup(const QString &title, const QStringList &members, bool onlyAdmins = false)
    {
        proto::Frame f;
        f.mutable_create_group()->set_title(title.toStdString());
        for (const QString &m : members)
            f.mutable_create_group()->add_members(m.toStdString());
        f.mutable_create_group()->set_only_admins_send(onlyAdmins);
        return f;
    }
    static proto::Frame change(quint64 conversationId, proto::GroupOp op, const QStringList &names = {})
    {
        proto::Frame f;
        f.mutable_group_change()->set_conversation_id(conversationId);
        f.mutable_group_change()->set_op(op);
        for (const QString &n : names)
            f.mutable_group_change()->add_usernames(n.toStdString());
        return f;
    }
    static proto::Frame rename(quint64 conversationId, const QString &title)
    {
        proto::Frame f = change(conversationId, proto::RENAMED);
        f.mutable_group_change()->set_title(title.toStdString());
        return f;
    }
    static proto::Frame sendPolicy(quint64 conversationId, bool onlyAdmins)
    {
        proto::Frame f = change(conversationId, proto::SEND_POLICY);
        f.mutable_group_change()->set_only_admins_send(onlyAdmins);
        return f;
    }
    static proto::Frame getGroup(quint64 conversationId)
    {
        proto::Frame f;
        f.mutable_get_group()->set_conversation_id(conversationId);
        return f;
    }
    static proto::Frame markRead(quint64 conversationId, quint64 upTo)
    {
        proto::Frame f;
        f.mutable_mark_read()->set_conversation_id(conversationId);
        f.mutable_mark_read()->set_up_to_seq(upTo);
        return f;
    }
    static proto::Frame typing(quint64 conversationId, bool on = true)
    {
        proto::Frame f;
        f.mutable_typing()->set_conversation_id(conversationId);
        f.mutable_typing()->set_typing(on);
        return f;
    }
    static proto::Frame settings(proto::Visibility visibility, bool readReceiptsOff)
    {
        proto::Frame f;
        f.mutable_update_settings()->mutable_settings()->set_presence_visibility(visibility);
        f.mutable_update_settings()->mutable_settings()->set_read_receipts_off(readReceiptsOff);
        return f;
    }
    static proto::Frame getPresence(const QStringList &names)
    {
        proto::Frame f;
        f.mutable_get_presence();
        for (const QString &n : names)
            f.mutable_get_presence()->add_usernames(n.toStdString());
        return f;
    }
    // Plausible (not real) public keys: the server checks sizes only.
    static proto::Frame uploadKeys()
    {
        proto::Frame f;
        proto::UploadKeys *k = f.mutable_upload_keys();
        k->set_identity_key(std::string(33, '\x05'));
        k->set_registration_id(7);
        k->mutable_signed_pre_key()->set_id(1);
        k->mutable_signed_pre_key()->set_public_key(std::string(33, '\x05'));
        k->mutable_signed_pre_key()->set_signature(std::string(64, 's'));
        return f;
    }

private:
    QString m_prefix;
    int m_names = 0;
};

} // namespace chattermesh::test

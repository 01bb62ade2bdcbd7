// SPDX-License-Identifier: GPL-3.0-or-later
#include "Sealer.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace chattermesh::core {

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace {

Sealer::Result wait(bool retrySoon)
{
    Sealer::Result r;
    r.outcome = Sealer::Outcome::Wait;
    r.retrySoon = retrySoon;
    return r;
}

Sealer::Result storeFailed(const StoreFailure &f)
{
    Sealer::Result r = wait(true);
    r.storeError = f;
    return r;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Sealer", text);
}

} // namespace

Sealer::Result Sealer::seal(const OutboxItem &item, const crypto::Address &me, proto::Send *send)
{
    Result r = item.group ? sealGroup(item, me, send) : sealDirect(item, me, send);
    // Naming the asset keeps the server's unreferenced sweep off it (docs/media.md); the sealed Send is
    // stored, so a retry names it again.
    content::Content c;
    if (send->asset_ids_size() == 0 && c.ParseFromArray(item.content.constData(), int(item.content.size()))
        && c.has_media() && !c.media().asset_id().empty())
        send->add_asset_ids(c.media().asset_id());
    return r;
}

Sealer::Result Sealer::failRow(const OutboxItem &item, const QString &why)
{
    Result r;
    r.outcome = Outcome::Skip;
    auto failed = m_store.markFailed(item.clientMsgId, why);
    if (failed)
        r.failed = failed.value();
    else
        r.storeError = failed.error();
    return r;
}

std::optional<Sealer::Result> Sealer::fetchMissing(const QStringList &users)
{
    Result r = wait(false);
    for (const QString &u : users) {
        if (!m_e2e.knowsDevicesOf(u))
            r.fetch << u;
    }
    return r.fetch.isEmpty() ? std::nullopt : std::optional<Result>(r);
}

Sealer::Result Sealer::sealDirect(const OutboxItem &it, const crypto::Address &me, proto::Send *send)
{
    // A message in the conversation with myself (a note to self, or a request to my own device)
    // goes to my other devices once.
    const QStringList users = it.peer == me.name ? QStringList { me.name } : QStringList { it.peer, me.name };
    if (auto missing = fetchMissing(users))
        return *missing;
    content::Content c;
    if (!c.ParseFromArray(it.content.constData(), int(it.content.size())))
        return failRow(it, tr("unreadable outbox entry"));
    auto payloads = m_e2e.encrypt(users, me.name, me.deviceId, c);
    if (!payloads) {
        // A session that cannot encrypt (no sending chain) is rebuilt from fresh bundles; until
        // then this row waits, and the timer makes sure somebody looks again.
        qCWarning(lcEngine) << "encrypt failed:" << payloads.error().message;
        for (const QString &u : users)
            m_e2e.markStale(u);
        return wait(true);
    }
    if (payloads.value().isEmpty()) {
        m_e2e.markStale(it.peer); // nobody to encrypt to yet: ask again
        return wait(true);
    }
    send->set_client_msg_id(it.clientMsgId.toStdString());
    if (it.conversationServerId > 0)
        send->set_conversation_id(quint64(it.conversationServerId));
    else
        send->set_peer_username(it.peer.toStdString());
    send->set_client_time_ms(it.clientTimeMs);
    for (auto &p : payloads.value())
        *send->add_device_payloads() = std::move(p);
    QList<qint64> devices;
    for (const auto &p : send->device_payloads())
        devices.append(qint64(p.device_id()));
    if (auto r = m_store.outbox().setSealed(
            it.localId, QByteArray::fromStdString(send->SerializeAsString()), devices);
        !r)
        return storeFailed(r.error());
    return {};
}

Sealer::Result Sealer::sealGroup(const OutboxItem &it, const crypto::Address &me, proto::Send *send)
{
    GroupStore &groups = m_store.groups();
    const auto group = groups.group(it.conversationServerId);
    if (!group || !group->isMember)
        return failRow(it, tr("You are not a member of this group."));
    QStringList users;
    for (const GroupMember &m : group->members)
        users << m.username;
    if (auto missing = fetchMissing(users))
        return *missing;
    content::Content c;
    if (!c.ParseFromArray(it.content.constData(), int(it.content.size())))
        return failRow(it, tr("unreadable outbox entry"));
    // Someone left since my last message: a new key, which the departed never receive.
    const bool fresh = groups.needsRekey(group->conversation);
    auto distribution = m_e2e.senderKey(group->serverId, me, fresh);
    if (!distribution) {
        qCWarning(lcEngine) << "no sender key:" << distribution.error().message;
        return wait(true);
    }
    if (fresh) {
        if (auto r = groups.rekeyDone(group->conversation); !r)
            return storeFailed(r.error());
    }
    const QSet<qint64> holders = groups.holders(group->conversation);
    content::Content key;
    key.mutable_sender_key()->set_conversation_id(quint64(group->serverId));
    key.mutable_sender_key()->set_distribution(distribution.value().toStdString());
    QList<qint64> covered, handedOut;
    for (const QString &user : std::as_const(users)) {
        for (qint32 device : m_e2e.devicesOf(user)) {
            if (user == me.name && device == me.deviceId)
                continue;
            covered.append(device);
            if (holders.contains(device))
                continue;
            auto p = m_e2e.encryptForDevice({ user, device }, key);
            if (!p) {
                qCWarning(lcEngine) << "cannot hand my sender key to" << user << device << ":"
                                    << p.error().message;
                m_e2e.markStale(user);
                return wait(true);
            }
            *send->add_key_distributions() = p.value().first();
            handedOut.append(device);
        }
    }
    if (covered.isEmpty() && users.size() > 1) {
        for (const QString &user : std::as_const(users))
            m_e2e.markStale(user); // members without devices we know: ask the server again
        return wait(true);
    }
    // Sealing fixes who the message is for: the receipts follow the members of this moment.
    QStringList recipients = users;
    recipients.removeAll(me.name);
    if (auto r = m_store.receipts().setRecipients(it.localId, recipients); !r)
        return storeFailed(r.error());
    auto payload = m_e2e.encryptGroup(group->serverId, me, c);
    if (!payload) {
        qCWarning(lcEngine) << "group encrypt failed:" << payload.error().message;
        return wait(true);
    }
    send->set_client_msg_id(it.clientMsgId.toStdString());
    send->set_conversation_id(quint64(group->serverId));
    send->set_client_time_ms(it.clientTimeMs);
    send->set_payload(payload.value().toStdString());
    send->set_payload_type(EndToEnd::kSenderKeyType);
    for (qint64 d : std::as_const(covered))
        send->add_covered_devices(quint64(d));
    if (auto r = m_store.outbox().setSealed(
            it.localId, QByteArray::fromStdString(send->SerializeAsString()), covered);
        !r)
        return storeFailed(r.error());
    if (auto r = groups.addHolders(group->conversation, handedOut); !r)
        return storeFailed(r.error());
    return {};
}

std::optional<proto::Frame> Sealer::answer(const PendingAnswer &a, const crypto::Address &me)
{
    const crypto::Address to { a.asker, qint32(a.device) };
    const auto original = m_store.findMessage(a.clientMsgId);
    if (!original || !original->outgoing
        || (original->senderDevice != 0 && original->senderDevice != me.deviceId) || original->seq == 0) {
        qCInfo(lcEngine) << "ignoring a retry request for a message this device did not send";
        return std::nullopt;
    }
    // Only a device the message was encrypted for gets it again, and never a held (blocked) peer.
    const bool addressed = original->group || to.name == original->peer || to.name == me.name;
    if (!addressed || m_e2e.isBlocked(original->group ? to.name : original->peer)
        || !m_store.outbox().recipientsOf(original->localId).contains(qint64(to.deviceId))) {
        qCWarning(lcEngine) << "refusing a retry request from" << to.name << to.deviceId
                            << "which was not a recipient of that message";
        return std::nullopt;
    }
    // The asker could not read a group message: perhaps it never got my sender key. My next group
    // message hands it over again.
    if (original->group)
        m_store.groups().forgetHolder(original->conversation, to.deviceId);
    const auto convId = m_store.conversationServerId(original->conversation);
    content::Content c;
    const QByteArray stored = m_store.contentOf(original->localId);
    if (!convId || !c.ParseFromArray(stored.constData(), int(stored.size())))
        return std::nullopt;
    QList<proto::DevicePayload> payloads;
    {
        Transaction tx(m_store.db());
        auto r = m_e2e.encryptForDevice(to, c);
        if (!r || !tx.commit()) {
            qCWarning(lcEngine) << "cannot re-encrypt for" << to.name << to.deviceId;
            return std::nullopt;
        }
        payloads = r.value();
    }
    proto::Frame f;
    auto *send = f.mutable_send();
    send->set_client_msg_id(a.answerId.toStdString());
    send->set_conversation_id(quint64(*convId));
    send->set_resend_of(a.clientMsgId.toStdString());
    for (auto &p : payloads)
        *send->add_device_payloads() = std::move(p);
    return f;
}

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's group, receipt and read-marker half. Same class as Engine.cpp, split so that neither
// file holds two subjects; see docs/groups.md for the scheme.
#include "Engine.h"

namespace chattermesh::core {

using namespace chattermesh::proto;

quint64 Engine::createGroup(const QString &title, const QStringList &members, bool onlyAdminsSend)
{
    Frame f;
    auto *c = f.mutable_create_group();
    c->set_title(title.toStdString());
    for (const QString &m : members)
        c->add_members(m.toStdString());
    c->set_only_admins_send(onlyAdminsSend);
    const quint64 id = m_connection->sendRequest(std::move(f));
    if (id)
        m_pending.insert(id, Pending::Group);
    return id;
}

quint64 Engine::changeGroup(const GroupChange &change)
{
    Frame f;
    *f.mutable_group_change() = change;
    const quint64 id = m_connection->sendRequest(std::move(f));
    if (id)
        m_pending.insert(id, Pending::Group);
    return id;
}

namespace {

GroupChange groupChange(qint64 group, GroupOp op, const QStringList &users = {})
{
    GroupChange c;
    c.set_conversation_id(quint64(group));
    c.set_op(op);
    for (const QString &u : users)
        c.add_usernames(u.toStdString());
    return c;
}

} // namespace

quint64 Engine::renameGroup(qint64 group, const QString &title)
{
    GroupChange c = groupChange(group, RENAMED);
    c.set_title(title.toStdString());
    return changeGroup(c);
}

quint64 Engine::addMembers(qint64 group, const QStringList &users)
{
    return changeGroup(groupChange(group, ADDED, users));
}

quint64 Engine::removeMembers(qint64 group, const QStringList &users)
{
    return changeGroup(groupChange(group, REMOVED, users));
}

quint64 Engine::leaveGroup(qint64 group)
{
    return changeGroup(groupChange(group, LEFT));
}

quint64 Engine::setAdmin(qint64 group, const QString &user, bool admin)
{
    return changeGroup(groupChange(group, admin ? PROMOTED : DEMOTED, { user }));
}

quint64 Engine::setOnlyAdminsSend(qint64 group, bool only)
{
    GroupChange c = groupChange(group, SEND_POLICY);
    c.set_only_admins_send(only);
    return changeGroup(c);
}

void Engine::onGroupAck(quint64 requestId, const Ack &ack)
{
    m_pending.remove(requestId);
    Q_EMIT groupChanged(requestId, qint64(ack.conversation_id()), qint64(ack.seq()));
}

StoreResult<StoredMessage> Engine::sendGroupText(qint64 group, const QString &text)
{
    auto r = sendTexts({ { QString(), text, group } });
    if (!r)
        return r.error();
    return r.value().first();
}

StoreResult<QList<StoredMessage>> Engine::groupHistory(qint64 group, qint64 beforeSeq, int limit)
{
    const auto conv = m_store.conversationByServerId(group);
    if (!conv)
        return QList<StoredMessage> {};
    return m_store.page(*conv, beforeSeq, limit);
}

crypto::CryptoResult<content::Content> Engine::decryptGroupPayload(
    qint64 group, const QString &sender, qint64 senderDevice, const QByteArray &payload)
{
    if (!m_e2e)
        return Failure<crypto::CryptoError> { crypto::CryptoError::NoIdentity,
            QStringLiteral("store is not open") };
    // Looking must not move the chain: whatever the attempt changes is rolled back.
    Transaction tx(m_store.db());
    auto r = m_e2e->decryptGroup(group, { sender, qint32(senderDevice) }, payload);
    tx.rollback();
    return r;
}

void Engine::markRead(qint64 conversation, qint64 seq)
{
    const auto conv = m_store.conversationByServerId(conversation);
    if (!conv)
        return;
    auto raised = m_store.receipts().raiseMyMarker(*conv, seq);
    if (!raised) {
        fail(raised.error());
        return;
    }
    if (!raised.value())
        return;
    Q_EMIT readMarkerChanged(*conv);
    sendReadMarkers();
}

void Engine::sendReadMarkers()
{
    if (m_status != Status::Syncing && m_status != Status::Online)
        return; // sent after the next sign-in: the unconfirmed part is kept in the store
    for (const auto &marker : m_store.receipts().unconfirmedMarkers()) {
        const auto conv = m_store.conversationByServerId(marker.serverId);
        const bool inFlight = std::any_of(
            m_readRequests.cbegin(), m_readRequests.cend(), [&](const std::pair<qint64, qint64> &r) {
                return conv && r.first == *conv && r.second >= marker.seq;
            });
        if (inFlight)
            continue;
        Frame f;
        f.mutable_mark_read()->set_conversation_id(quint64(marker.serverId));
        f.mutable_mark_read()->set_up_to_seq(quint64(marker.seq));
        if (const quint64 id = m_connection->sendRequest(std::move(f))) {
            m_pending.insert(id, Pending::ReadMarker);
            if (conv)
                m_readRequests.insert(id, { *conv, marker.seq });
        }
    }
}

QList<MemberReceipt> Engine::receiptsOf(const QByteArray &clientMsgId)
{
    const auto m = m_store.findMessage(clientMsgId);
    return m ? m_store.receipts().receiptsOf(m->localId) : QList<MemberReceipt> {};
}

int Engine::unread(qint64 conversation)
{
    const auto conv = m_store.conversationByServerId(conversation);
    return conv ? m_store.receipts().unread(*conv) : 0;
}

void Engine::setPrivacy(Visibility presence, bool readReceiptsOff)
{
    Settings s;
    s.set_presence_visibility(presence);
    s.set_read_receipts_off(readReceiptsOff);
    m_liveState->updateSettings(s);
}

void Engine::afterSignIn()
{
    m_liveState->requestSettings();
    // Presence of everyone I share a conversation with; changes are pushed from here on.
    QSet<QString> people;
    if (auto list = m_store.conversations()) {
        for (const ConversationInfo &c : list.value()) {
            if (!c.group && !c.peer.isEmpty())
                people.insert(c.peer);
            else if (c.group && c.isMember)
                for (const QString &m : m_store.groups().members(c.localId))
                    people.insert(m);
        }
    }
    people.remove(m_username);
    QStringList batch;
    for (const QString &p : std::as_const(people)) {
        batch << p;
        if (batch.size() == 1024)
            m_liveState->requestPresence(std::exchange(batch, {}));
    }
    m_liveState->requestPresence(batch);
    sendReadMarkers();
}

} // namespace chattermesh::core

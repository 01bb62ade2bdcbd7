// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConversationMembers.h"

#include "Store.h"

namespace chattermesh::server {

void ConversationMembers::withMembers(quint64 conversationId, Done done)
{
    if (const auto cached = m_cache.constFind(conversationId); cached != m_cache.cend())
        return done(*cached);
    std::vector<Done> &waiting = m_waiting[conversationId];
    waiting.push_back(std::move(done));
    if (waiting.size() > 1)
        return; // a read is already on its way
    m_store.submit([conversationId](StoreBackend &backend) { return backend.memberIds(conversationId); },
        [this, conversationId](StoreResult<std::vector<quint64>> members) {
            if (members.ok() && !members.value().empty())
                update(conversationId, members.value());
            const std::vector<Done> callbacks = m_waiting.take(conversationId);
            const Members found = m_cache.value(conversationId);
            for (const Done &callback : callbacks)
                callback(found);
        });
}

void ConversationMembers::update(quint64 conversationId, const std::vector<quint64> &members)
{
    m_cache.insert(conversationId, Members(members.begin(), members.end()));
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSet>
#include <functional>
#include <vector>

namespace chattermesh::server {

class Store;

// The members (user ids) of each conversation, cached on the network thread so ephemeral traffic
// (Typing) never waits for the writer. A miss reads the store once; group changes update the entry
// when their commit is answered. Store results arrive in submission order, so an entry is never
// older than the last change whose answer has been seen.
class ConversationMembers {
public:
    using Members = QSet<quint64>;
    using Done = std::function<void(const Members &members)>; // empty: no such conversation

    explicit ConversationMembers(Store &store) : m_store(store) { }

    // Calls done with the members, at once when cached, else after a store read.
    void withMembers(quint64 conversationId, Done done);
    void update(quint64 conversationId, const std::vector<quint64> &members);

private:
    Store &m_store;
    QHash<quint64, Members> m_cache;
    QHash<quint64, std::vector<Done>> m_waiting;
};

} // namespace chattermesh::server

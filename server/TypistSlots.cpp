// SPDX-License-Identifier: GPL-3.0-or-later
#include "TypistSlots.h"

namespace chattermesh::server {

namespace {

// Above this many conversations with typists, those whose typists have all expired are forgotten.
constexpr qsizetype kPruneAbove = 10000;

} // namespace

bool TypistSlots::start(quint64 conversationId, quint64 user, qint64 nowMs)
{
    if (m_max <= 0)
        return true;
    if (m_typists.size() > kPruneAbove)
        forgetExpired(nowMs);
    QHash<quint64, qint64> &typists = m_typists[conversationId];
    auto own = typists.find(user);
    if (own != typists.end()) {
        *own = nowMs;
        return true;
    }
    if (typists.size() >= m_max)
        typists.removeIf([nowMs](const auto &t) { return nowMs - t.value() >= kExpiryMs; });
    if (typists.size() >= m_max) {
        ++m_dropped;
        return false;
    }
    typists.insert(user, nowMs);
    return true;
}

bool TypistSlots::stop(quint64 conversationId, quint64 user)
{
    if (m_max <= 0)
        return true;
    auto conversation = m_typists.find(conversationId);
    if (conversation == m_typists.end() || !conversation->remove(user)) {
        ++m_dropped;
        return false;
    }
    if (conversation->isEmpty())
        m_typists.erase(conversation);
    return true;
}

void TypistSlots::forgetExpired(qint64 nowMs)
{
    m_typists.removeIf([nowMs](auto &conversation) {
        conversation.value().removeIf([nowMs](const auto &t) { return nowMs - t.value() >= kExpiryMs; });
        return conversation.value().isEmpty();
    });
}

} // namespace chattermesh::server

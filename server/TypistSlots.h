// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>

namespace chattermesh::server {

// Which typists of each conversation the server forwards: at most `maxTypists` at once. Typing
// costs a push per member per refresh, so in a large busy group it grows with members × typists;
// clients only ever name two typists ("N people are typing…" beyond), so forwarding more than a
// few buys nothing. A start takes a free slot or refreshes the typist's own; beyond the bound it is
// dropped (no error: the typist did nothing wrong) and counted. A stop frees the slot and is
// forwarded only if the typist held one (nobody was shown it typing otherwise). A slot not
// refreshed for kExpiryMs is free again, the same 6 s after which receivers expire a typist, so the
// server and the receivers agree on who is shown. Time comes in from the caller (milliseconds of a
// monotonic clock), so tests can drive it.
class TypistSlots {
public:
    static constexpr qint64 kExpiryMs = 6000;

    explicit TypistSlots(int maxTypists) : m_max(maxTypists) { } // 0: no bound, nothing tracked

    bool start(quint64 conversationId, quint64 user, qint64 nowMs); // true: forward it
    bool stop(quint64 conversationId, quint64 user); // true: forward it
    qint64 dropped() const { return m_dropped; }
    qsizetype trackedConversations() const { return m_typists.size(); }

private:
    void forgetExpired(qint64 nowMs);

    int m_max;
    QHash<quint64, QHash<quint64, qint64>> m_typists; // conversation → typist → last refresh (ms)
    qint64 m_dropped = 0;
};

} // namespace chattermesh::server

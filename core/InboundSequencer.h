// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace chattermesh::core {

// Keeps the device's mailbox stream gap-free: entries are taken only in inbox_seq order; an
// entry already taken is a duplicate; one that skips ahead is a gap that must be re-synced.
class InboundSequencer {
public:
    enum class Verdict { Accept, Duplicate, Gap };

    void reset(quint64 committedCursor) { m_accepted = committedCursor; }
    Verdict offer(quint64 inboxSeq)
    {
        if (inboxSeq <= m_accepted)
            return Verdict::Duplicate;
        if (inboxSeq != m_accepted + 1)
            return Verdict::Gap;
        m_accepted = inboxSeq;
        return Verdict::Accept;
    }
    quint64 accepted() const { return m_accepted; }

private:
    quint64 m_accepted = 0;
};

} // namespace chattermesh::core

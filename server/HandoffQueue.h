// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <mutex>
#include <vector>

namespace chattermesh::server {

// Items handed from one thread to another in order, woken once per batch: push() says whether the
// consumer must be woken (the first item since it last took everything), so a burst of frames
// costs one cross-thread wake-up instead of one per frame.
template<typename T> class HandoffQueue {
public:
    // True: the queue was idle; the caller wakes the consumer (which then calls takeAll()).
    bool push(T item)
    {
        std::lock_guard lock(m_mutex);
        m_items.push_back(std::move(item));
        if (m_wakePending)
            return false;
        m_wakePending = true;
        return true;
    }

    // Everything pushed so far; the next push() wakes the consumer again.
    std::vector<T> takeAll()
    {
        std::vector<T> taken;
        std::lock_guard lock(m_mutex);
        taken.swap(m_items);
        m_wakePending = false;
        return taken;
    }

private:
    std::mutex m_mutex;
    std::vector<T> m_items;
    bool m_wakePending = false;
};

} // namespace chattermesh::server

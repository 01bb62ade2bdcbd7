// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <atomic>
#include <optional>

namespace chattermesh::server {

// What /readyz answers (docs/operations.md): ready once the store is open and both listeners are
// up, not while draining or while the store's last batch failed. Written by the Server (main
// thread) and the store writer, read by the asset thread: atomics only.
class ServerHealth {
public:
    void setServing() { m_serving.store(true); }
    void setDraining() { m_draining.store(true); }
    // The outcome of the store's latest batch; a later success clears a failure.
    void setStoreFailing(bool failing) { m_storeFailing.store(failing); }

    // Empty when ready, otherwise why not.
    std::optional<QString> notReadyReason() const
    {
        if (m_draining.load())
            return QStringLiteral("draining");
        if (!m_serving.load())
            return QStringLiteral("starting");
        if (m_storeFailing.load())
            return QStringLiteral("store failing: the last batch did not commit");
        return std::nullopt;
    }

private:
    std::atomic<bool> m_serving { false };
    std::atomic<bool> m_draining { false };
    std::atomic<bool> m_storeFailing { false };
};

} // namespace chattermesh::server

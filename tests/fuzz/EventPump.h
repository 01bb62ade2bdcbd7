// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FuzzCheck.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThreadPool>
#include <QTimer>
#include <functional>

namespace chattermesh::fuzz {

// Runs the event loop of a fuzz target until the code under test has nothing left in flight: the
// given condition holds (e.g. no store job pending), no pool thread is busy, and a few turns of the
// loop find nothing more to do. What it waits for is work finishing, not time passing; the bound is
// only there so that a hang (an answer that never comes) is reported as one.
class EventPump {
public:
    explicit EventPump(std::function<bool()> idle) : m_idle(std::move(idle))
    {
        // Wakes a blocked turn of the loop when the work finishes on another thread without posting
        // an event here (a pool thread going idle).
        m_wake.setInterval(2);
        m_wake.start();
    }

    void run(int boundMs = 30000)
    {
        QElapsedTimer elapsed;
        elapsed.start();
        int quietTurns = 0;
        while (quietTurns < 3) {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
            const bool busy = !m_idle() || QThreadPool::globalInstance()->activeThreadCount() > 0;
            m_loop.processEvents(busy ? QEventLoop::WaitForMoreEvents : QEventLoop::AllEvents);
            quietTurns = busy ? 0 : quietTurns + 1;
            FUZZ_CHECK(elapsed.elapsed() < boundMs, "the code under test went idle");
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }

private:
    std::function<bool()> m_idle;
    QEventLoop m_loop;
    QTimer m_wake;
};

} // namespace chattermesh::fuzz

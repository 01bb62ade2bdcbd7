// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <functional>

namespace chattermesh::bench {

// Runs this thread's event loop until `done()` or the timeout. The tick wakes the loop even when
// the work it waits for happens on other threads and posts nothing here.
inline bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    QTimer tick;
    tick.start(5);
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

} // namespace chattermesh::bench

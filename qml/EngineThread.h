// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Engine.h"

#include <QFuture>
#include <QThread>
#include <memory>

namespace chattermesh::qml {

// Runs one Engine on its own thread, so SQL, crypto and the socket never touch the GUI thread.
// Work goes in through post(); results come back as queued signals of the engine.
class EngineThread {
public:
    EngineThread();
    ~EngineThread();

    // Creates the engine on the worker thread; `opened` receives the open() result there.
    void create(core::EngineOptions options);
    core::Engine *engine() const { return m_engine; }
    template<typename F> void post(F &&f)
    {
        QMetaObject::invokeMethod(m_engine, std::forward<F>(f), Qt::QueuedConnection);
    }
    void destroy();

private:
    QThread m_thread;
    core::Engine *m_engine = nullptr;
};

} // namespace chattermesh::qml

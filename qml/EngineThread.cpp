// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineThread.h"

namespace chattermesh::qml {

EngineThread::EngineThread()
{
    m_thread.setObjectName(QStringLiteral("chattermesh-engine"));
    m_thread.start();
}

EngineThread::~EngineThread()
{
    destroy();
    m_thread.quit();
    m_thread.wait();
}

void EngineThread::create(core::EngineOptions options)
{
    destroy();
    m_engine = new core::Engine(std::move(options));
    m_engine->moveToThread(&m_thread);
}

void EngineThread::destroy()
{
    if (!m_engine)
        return;
    core::Engine *e = m_engine;
    m_engine = nullptr;
    // close() and delete run on the engine's own thread, where its sockets and store live.
    QMetaObject::invokeMethod(
        e, [e] { delete e; }, Qt::BlockingQueuedConnection);
}

} // namespace chattermesh::qml

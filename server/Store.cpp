// SPDX-License-Identifier: GPL-3.0-or-later
#include "Store.h"

#include "ServerLog.h"

#include <QElapsedTimer>
#include <QThread>
#include <future>

namespace chattermesh::server {

Store::Store(std::unique_ptr<StoreBackend> backend, QObject *parent)
    : QObject(parent), m_backend(std::move(backend))
{ }

Store::~Store()
{
    stop();
}

StoreResult<Unit> Store::start()
{
    // Shared, not on this stack: the writer may still be inside set_value() when get() returns.
    auto opened = std::make_shared<std::promise<StoreResult<Unit>>>();
    std::future<StoreResult<Unit>> result = opened->get_future();
    m_thread = QThread::create([this, opened] {
        StoreResult<Unit> open = m_backend->open();
        const bool ok = open.ok();
        opened->set_value(std::move(open));
        if (ok)
            writerLoop();
        m_backend->close();
    });
    m_thread->setObjectName(QStringLiteral("store-writer"));
    m_thread->start();
    StoreResult<Unit> open = result.get();
    if (!open.ok()) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
        m_stopped = true;
    }
    return open;
}

void Store::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_stopped = true;
}

QString Store::failureText(proto::ErrorCode failure)
{
    return failure == proto::SERVER_SHUTTING_DOWN ? QStringLiteral("server shutting down")
                                                  : QStringLiteral("storage failure");
}

void Store::enqueue(Job job)
{
    ++m_pending;
    if (!m_thread || m_stopped) {
        std::vector<Job> refused;
        refused.push_back(std::move(job));
        QMetaObject::invokeMethod(
            this,
            [this, refused = std::move(refused)]() mutable {
                deliver(std::move(refused), proto::SERVER_SHUTTING_DOWN);
            },
            Qt::QueuedConnection);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void Store::flush(std::function<void()> done)
{
    submit([](StoreBackend &) -> StoreResult<Unit> { return Unit {}; },
        [done = std::move(done)](StoreResult<Unit>) { done(); });
}

void Store::writerLoop()
{
    for (;;) {
        std::vector<Job> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and everything queued before has been committed
            // Whatever piled up while the previous commit was syncing goes into this one.
            const size_t take = std::min(m_queue.size(), size_t(kMaxBatch));
            batch.reserve(take);
            for (size_t i = 0; i < take; ++i) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        runBatch(std::move(batch));
    }
}

void Store::runBatch(std::vector<Job> batch)
{
    if (!m_backend->beginBatch()) {
        qCWarning(lcServer) << "store: cannot begin a transaction; failing" << batch.size() << "jobs";
        failBatch(std::move(batch));
        return;
    }
    // A job that fails must lose only its own writes. Almost every job succeeds or fails before
    // writing (unknown conversation, bad password), so jobs run without a savepoint each (their
    // sub-journals cost about a tenth of the durable send rate). When one fails after writing, the
    // batch is rolled back and run again without it: the jobs before it are deterministic and give
    // the same results, and the failed job keeps the failure of its first run.
    std::vector<bool> dropped(batch.size(), false);
    Pass pass;
    while ((pass = runJobs(batch, dropped)) == Pass::Replay) {
        qCInfo(lcServer) << "store: a job failed after writing; running its batch of" << batch.size()
                         << "again without it";
        m_backend->rollbackBatch();
        if (!m_backend->beginBatch()) {
            pass = Pass::Aborted;
            break;
        }
    }
    if (pass != Pass::Done || !m_backend->inBatch()) {
        qCWarning(lcServer) << "store: the transaction was aborted; failing" << batch.size() << "jobs";
        m_backend->rollbackBatch();
        failBatch(std::move(batch));
        return;
    }
    QElapsedTimer timer;
    timer.start();
    if (!m_backend->commitBatch()) {
        qCWarning(lcServer) << "store: commit failed; failing" << batch.size() << "jobs";
        m_backend->rollbackBatch();
        failBatch(std::move(batch));
        return;
    }
    const double commitMs = double(timer.nsecsElapsed()) / 1e6;
    qCDebug(lcServer) << "store: committed" << batch.size() << "jobs; commit took" << commitMs << "ms";
    if (m_observer)
        m_observer(true, batch.size(), commitMs);
    deliver(std::move(batch), proto::ERROR_NONE);
}

Store::Pass Store::runJobs(std::vector<Job> &batch, std::vector<bool> &dropped)
{
    for (size_t i = 0; i < batch.size(); ++i) {
        // SQLite aborts the whole transaction by itself on a full disk or I/O error; jobs run after
        // that would autocommit one by one. Fail the batch instead: nothing of it is answered OK.
        if (!m_backend->inBatch())
            return Pass::Aborted;
        if (dropped[i])
            continue;
        const qint64 before = m_backend->writeCount();
        if (!batch[i].run(*m_backend) && m_backend->writeCount() != before) {
            dropped[i] = true;
            return Pass::Replay;
        }
    }
    return Pass::Done;
}

void Store::failBatch(std::vector<Job> batch)
{
    if (m_observer)
        m_observer(false, batch.size(), 0);
    deliver(std::move(batch), proto::INTERNAL);
}

void Store::deliver(std::vector<Job> batch, proto::ErrorCode failure)
{
    if (QThread::currentThread() != thread()) {
        // One queued call per batch keeps the results in submission order on the owner thread.
        auto shared = std::make_shared<std::vector<Job>>(std::move(batch));
        QMetaObject::invokeMethod(
            this, [this, shared, failure] { deliver(std::move(*shared), failure); }, Qt::QueuedConnection);
        return;
    }
    for (Job &job : batch) {
        --m_pending;
        job.deliver(failure);
    }
}

} // namespace chattermesh::server

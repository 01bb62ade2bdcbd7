// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreBackend.h"

#include <QObject>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>

class QThread;

namespace chattermesh::server {

// Runs StoreBackend operations on one writer thread with group commit: the writer takes every job
// queued so far (up to kMaxBatch), runs them in one transaction, commits, and only then hands each
// result back on the thread that owns the Store, in submission order. So a result is never seen
// before its writes are durable, and one failing job only loses its own writes: a job that fails
// after writing makes the writer roll the batch back and run it again without that job.
class Store : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxBatch = 1000;

    explicit Store(std::unique_ptr<StoreBackend> backend, QObject *parent = nullptr);
    ~Store() override;

    // Starts the writer thread and opens the backend on it; blocks until the open is done.
    StoreResult<Unit> start();
    // Lets the writer finish every queued job, closes the backend and joins the thread. Results of
    // the last batches are still delivered by the event loop afterwards.
    void stop();

    // op(StoreBackend &) -> StoreResult<T> runs on the writer; done(StoreResult<T>) runs on this
    // object's thread after the commit (INTERNAL if the commit failed, SERVER_SHUTTING_DOWN after
    // stop()).
    template<typename Op, typename Done> void submit(Op op, Done done)
    {
        using R = std::invoke_result_t<Op &, StoreBackend &>;
        auto slot = std::make_shared<std::optional<R>>();
        Job job;
        job.run = [op = std::move(op), slot](StoreBackend &backend) mutable {
            slot->emplace(op(backend));
            return (*slot)->ok();
        };
        job.deliver = [done = std::move(done), slot](proto::ErrorCode failure) mutable {
            if (failure == proto::ERROR_NONE && slot->has_value())
                done(std::move(**slot));
            else
                done(R(Failure<proto::ErrorCode> {
                    failure == proto::ERROR_NONE ? proto::INTERNAL : failure, failureText(failure) }));
        };
        enqueue(std::move(job));
    }

    // done() runs once every job submitted before it has been delivered.
    void flush(std::function<void()> done);

    // Jobs submitted but not yet delivered.
    int pending() const { return m_pending; }

    // Called on the writer thread after every batch: committed or not, its size, and how long
    // COMMIT took (0 when it was not reached). Set before start().
    using BatchObserver = std::function<void(bool committed, size_t jobs, double commitMs)>;
    void setBatchObserver(BatchObserver observer) { m_observer = std::move(observer); }

private:
    struct Job {
        std::function<bool(StoreBackend &)> run;
        // ERROR_NONE: the batch committed; otherwise why the job's writes did not happen.
        std::function<void(proto::ErrorCode failure)> deliver;
    };

    static QString failureText(proto::ErrorCode failure);
    void enqueue(Job job);
    void writerLoop();
    void runBatch(std::vector<Job> batch);
    enum class Pass { Done, Aborted, Replay };
    // Runs every job not dropped, in order; Replay (with that job now dropped) as soon as one fails
    // after writing.
    Pass runJobs(std::vector<Job> &batch, std::vector<bool> &dropped);
    void failBatch(std::vector<Job> batch);
    void deliver(std::vector<Job> batch, proto::ErrorCode failure);

    std::unique_ptr<StoreBackend> m_backend;
    BatchObserver m_observer;
    QThread *m_thread = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    bool m_stopping = false;
    bool m_stopped = false;
    int m_pending = 0; // touched on the owner thread only
};

} // namespace chattermesh::server

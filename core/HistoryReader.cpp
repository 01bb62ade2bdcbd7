// SPDX-License-Identifier: GPL-3.0-or-later
#include "HistoryReader.h"

#include "MessageStore.h"

#include <QtConcurrent>

namespace chattermesh::core {

HistoryReader::HistoryReader(QString path, DbKey key) : m_path(std::move(path)), m_key(std::move(key))
{
    m_pool.setMaxThreadCount(1);
}

HistoryReader::~HistoryReader()
{
    m_pool.waitForDone();
}

QFuture<HistoryPage> HistoryReader::page(qint64 conversation, qint64 beforeSeq, int limit)
{
    return QtConcurrent::run(
        &m_pool, [this, conversation, beforeSeq, limit] { return readPage(conversation, beforeSeq, limit); });
}

HistoryPage HistoryReader::readPage(qint64 conversation, qint64 beforeSeq, int limit)
{
    QMutexLocker lock(&m_mutex);
    HistoryPage out;
    if (!m_db.isOpen()) {
        if (auto r = m_db.open(m_path, m_key, SqlDatabase::Mode::ReadOnly); !r) {
            out.error = r.error().message;
            return out;
        }
    }
    auto r = MessageStore::page(m_db, conversation, beforeSeq, limit);
    if (!r) {
        out.error = r.error().message;
        return out;
    }
    out.ok = true;
    out.messages = std::move(r).value();
    return out;
}

} // namespace chattermesh::core

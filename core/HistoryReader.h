// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DbKey.h"
#include "MessageTypes.h"
#include "SqlDatabase.h"

#include <QFuture>
#include <QMutex>
#include <QThreadPool>

namespace chattermesh::core {

struct HistoryPage {
    bool ok = false;
    QString error;
    QList<StoredMessage> messages;
};

// History pages for the UI, read through a second, read-only SQLCipher connection (WAL lets it
// read while the engine writes) on a pool thread, so the GUI thread never runs SQL.
class HistoryReader {
public:
    HistoryReader(QString path, DbKey key);
    ~HistoryReader();

    QFuture<HistoryPage> page(qint64 conversation, qint64 beforeSeq, int limit);

private:
    HistoryPage readPage(qint64 conversation, qint64 beforeSeq, int limit);

    QString m_path;
    DbKey m_key;
    QMutex m_mutex; // one SQLite connection, one reader at a time
    SqlDatabase m_db;
    QThreadPool m_pool;
};

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#include "DraftStore.h"

#include "SqlStatement.h"

#include <sqlite3.h>

namespace chattermesh::core {

StoreResult<Unit> DraftStore::save(const QString &conversation, const QString &text, qint64 nowMs)
{
    if (text.trimmed().isEmpty()) {
        auto &q = m_db.prepared("DELETE FROM drafts WHERE conversation = ?");
        if (q.bind(1, conversation).exec() != SQLITE_DONE)
            return m_db.failure("delete draft");
        return Unit {};
    }
    auto &q = m_db.prepared("INSERT OR REPLACE INTO drafts(conversation, body, updated_ms) VALUES(?, ?, ?)");
    if (q.bind(1, conversation).bind(2, text).bind(3, nowMs).exec() != SQLITE_DONE)
        return m_db.failure("save draft");
    return Unit {};
}

StoreResult<QString> DraftStore::get(const QString &conversation)
{
    auto &q = m_db.prepared("SELECT body FROM drafts WHERE conversation = ?");
    q.bind(1, conversation);
    if (q.step())
        return q.text(0);
    if (!q.ok())
        return m_db.failure("read draft");
    return QString();
}

StoreResult<QHash<QString, QString>> DraftStore::all()
{
    QHash<QString, QString> drafts;
    auto &q = m_db.prepared("SELECT conversation, body FROM drafts");
    while (q.step())
        drafts.insert(q.text(0), q.text(1));
    if (!q.ok())
        return m_db.failure("read drafts");
    return drafts;
}

StoreResult<Unit> DraftStore::setMuted(const QString &conversation, bool muted)
{
    auto &q = m_db.prepared(muted ? "INSERT OR IGNORE INTO muted(conversation) VALUES(?)"
                                  : "DELETE FROM muted WHERE conversation = ?");
    if (q.bind(1, conversation).exec() != SQLITE_DONE)
        return m_db.failure("set muted");
    return Unit {};
}

StoreResult<QSet<QString>> DraftStore::muted()
{
    QSet<QString> muted;
    auto &q = m_db.prepared("SELECT conversation FROM muted");
    while (q.step())
        muted.insert(q.text(0));
    if (!q.ok())
        return m_db.failure("read muted");
    return muted;
}

} // namespace chattermesh::core

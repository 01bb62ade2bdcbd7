// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqlKeyStore.h"

#include <QSet>
#include <sqlite3.h>

namespace chattermesh::core {

std::optional<QByteArray> SqlKeyStore::load(Kind kind, const QByteArray &key)
{
    if (auto held = m_held.constFind({ int(kind), key }); held != m_held.constEnd())
        return held.value();
    auto &q = m_db.prepared("SELECT value FROM crypto_kv WHERE kind = ? AND key = ?");
    q.bind(1, qint64(kind)).bind(2, key);
    if (q.step())
        return q.blob(0);
    return std::nullopt;
}

bool SqlKeyStore::store(Kind kind, const QByteArray &key, const QByteArray &value)
{
    if (m_db.inTransaction()) {
        m_held.insert({ int(kind), key }, value);
        return true;
    }
    return write(kind, key, value);
}

bool SqlKeyStore::remove(Kind kind, const QByteArray &key)
{
    if (m_db.inTransaction()) {
        m_held.insert({ int(kind), key }, std::nullopt);
        return true;
    }
    return write(kind, key, std::nullopt);
}

QList<QByteArray> SqlKeyStore::keysWithPrefix(Kind kind, const QByteArray &prefix)
{
    // A range scan on the primary key: [prefix, prefix + 0xff…) without LIKE's escaping rules.
    auto &q
        = m_db.prepared("SELECT key FROM crypto_kv WHERE kind = ? AND key >= ? AND substr(key, 1, ?) = ?");
    q.bind(1, qint64(kind)).bind(2, prefix).bind(3, qint64(prefix.size())).bind(4, prefix);
    QList<QByteArray> out;
    while (q.step())
        out.append(q.blob(0));
    if (m_held.isEmpty())
        return out;
    QSet<QByteArray> keys(out.cbegin(), out.cend());
    for (auto it = m_held.cbegin(); it != m_held.cend(); ++it) {
        if (it.key().first != int(kind) || !it.key().second.startsWith(prefix))
            continue;
        if (it.value())
            keys.insert(it.key().second);
        else
            keys.remove(it.key().second);
    }
    return QList<QByteArray>(keys.cbegin(), keys.cend());
}

bool SqlKeyStore::beforeCommit()
{
    bool ok = true;
    for (auto it = m_held.cbegin(); it != m_held.cend() && ok; ++it)
        ok = write(Kind(it.key().first), it.key().second, it.value());
    m_held.clear();
    return ok;
}

bool SqlKeyStore::write(Kind kind, const QByteArray &key, const std::optional<QByteArray> &value)
{
    if (!value) {
        auto &q = m_db.prepared("DELETE FROM crypto_kv WHERE kind = ? AND key = ?");
        return q.bind(1, qint64(kind)).bind(2, key).exec() == SQLITE_DONE;
    }
    auto &q = m_db.prepared("INSERT OR REPLACE INTO crypto_kv(kind, key, value) VALUES(?, ?, ?)");
    return q.bind(1, qint64(kind)).bind(2, key).bind(3, *value).exec() == SQLITE_DONE;
}

} // namespace chattermesh::core

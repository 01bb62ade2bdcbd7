// SPDX-License-Identifier: GPL-3.0-or-later
#include "MemoryKeyStore.h"

namespace chattermesh::crypto {

std::optional<QByteArray> MemoryKeyStore::load(Kind kind, const QByteArray &key)
{
    const Table &t = table(kind);
    const auto it = t.constFind(key);
    if (it == t.cend())
        return std::nullopt;
    return *it;
}

bool MemoryKeyStore::store(Kind kind, const QByteArray &key, const QByteArray &value)
{
    if (m_failWrites)
        return false;
    table(kind).insert(key, value);
    return true;
}

bool MemoryKeyStore::remove(Kind kind, const QByteArray &key)
{
    if (m_failWrites)
        return false;
    table(kind).remove(key);
    return true;
}

QList<QByteArray> MemoryKeyStore::keysWithPrefix(Kind kind, const QByteArray &prefix)
{
    QList<QByteArray> out;
    const Table &t = table(kind);
    for (auto it = t.lowerBound(prefix); it != t.cend() && it.key().startsWith(prefix); ++it)
        out.append(it.key());
    return out;
}

} // namespace chattermesh::crypto

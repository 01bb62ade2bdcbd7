// SPDX-License-Identifier: GPL-3.0-or-later
#include "DbKey.h"

#include <openssl/rand.h>

namespace chattermesh::core {

DbKey DbKey::raw(const QByteArray &key32)
{
    DbKey k;
    k.m_raw = true;
    k.m_material = key32;
    return k;
}

DbKey DbKey::passphrase(const QString &passphrase)
{
    DbKey k;
    k.m_material = passphrase.toUtf8();
    return k;
}

QByteArray DbKey::generateRaw()
{
    QByteArray key(32, Qt::Uninitialized);
    RAND_bytes(reinterpret_cast<unsigned char *>(key.data()), int(key.size()));
    return key;
}

QByteArray DbKey::sqlcipherKey() const
{
    if (!m_raw)
        return m_material;
    return QByteArrayLiteral("x'") + m_material.toHex() + QByteArrayLiteral("'");
}

} // namespace chattermesh::core

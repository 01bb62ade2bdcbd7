// SPDX-License-Identifier: GPL-3.0-or-later
#include "TokenFactory.h"

#include <QCryptographicHash>
#include <openssl/rand.h>

namespace chattermesh::server {

std::optional<QString> TokenFactory::newToken()
{
    QByteArray raw(kTokenBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), kTokenBytes) != 1)
        return std::nullopt;
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray TokenFactory::hash(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace chattermesh::server

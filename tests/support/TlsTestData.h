// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFile>
#include <QString>

// The committed test certificates (tests/data/tls/make-certs.sh); CHATTERMESH_TLS_DATA is their
// folder, defined by each test that uses them.
namespace chattermesh::test {

inline QString tls(const QString &name)
{
    return QStringLiteral(CHATTERMESH_TLS_DATA) + u'/' + name;
}

// The SPKI SHA-256 the openssl command computed for certificate `name` (what a client pins).
inline QString spkiOf(const QString &name)
{
    QFile file(tls(name + QStringLiteral(".spki")));
    return file.open(QIODevice::ReadOnly) ? QString::fromLatin1(file.readAll().trimmed()) : QString();
}

} // namespace chattermesh::test

// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsTrust.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslKey>

using namespace Qt::StringLiterals;

namespace chattermesh::sync {

Result<QSslConfiguration, TlsError> TlsTrust::configuration(const QString &caFile)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    if (caFile.isEmpty())
        return config;
    QFile file(caFile);
    if (!file.open(QIODevice::ReadOnly))
        return Failure<TlsError> { TlsError::CaFileInvalid,
            u"cannot read the CA file %1: %2"_s.arg(caFile, file.errorString()) };
    const QList<QSslCertificate> cas = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (cas.isEmpty())
        return Failure<TlsError> { TlsError::CaFileInvalid,
            u"the CA file %1 holds no PEM certificate"_s.arg(caFile) };
    config.addCaCertificates(cas);
    return config;
}

QString TlsTrust::spkiSha256(const QSslCertificate &certificate)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(certificate.publicKey().toDer(), QCryptographicHash::Sha256).toHex());
}

QString TlsTrust::endpoint(const QUrl &url)
{
    const QString scheme = url.scheme();
    const bool secure = scheme == u"wss"_s || scheme == u"https"_s;
    return url.host().toLower() + u':' + QString::number(url.port(secure ? 443 : 80));
}

bool TlsTrust::isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString TlsTrust::errorName(TlsError error)
{
    switch (error) {
    case TlsError::CaFileInvalid:
        return u"TLS_CA_FILE_INVALID"_s;
    case TlsError::NotTrusted:
        return u"TLS_NOT_TRUSTED"_s;
    case TlsError::CertificateChanged:
        return u"TLS_CERTIFICATE_CHANGED"_s;
    case TlsError::PlainTextRefused:
        return u"TLS_PLAIN_TEXT_REFUSED"_s;
    }
    return u"TLS_UNKNOWN"_s;
}

QString TlsTrust::describe(const QList<QSslError> &errors)
{
    QStringList reasons;
    for (const QSslError &error : errors)
        if (!reasons.contains(error.errorString()))
            reasons.append(error.errorString());
    return u"certificate not trusted: "_s + reasons.join(u"; "_s);
}

} // namespace chattermesh::sync

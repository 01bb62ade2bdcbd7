// SPDX-License-Identifier: GPL-3.0-or-later
#include "TlsSetup.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

using Fail = Failure<TlsSetupError>;

std::optional<QByteArray> readFile(const QString &path, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = file.errorString();
        return std::nullopt;
    }
    // Certificates and keys are a few KiB; a chain of 64 KiB would already be absurd.
    constexpr qint64 kMaxBytes = 1 << 20;
    return file.read(kMaxBytes);
}

// Which of Qt's key types the PEM holds; Qt wants to be told.
QSslKey qtKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Ec, QSsl::Rsa, QSsl::Dsa }) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

// OpenSSL decides whether the key belongs to the certificate: Qt has no call for it.
bool keyMatches(const QSslCertificate &certificate, const QByteArray &keyPem)
{
    const QByteArray der = certificate.toDer();
    const auto *derData = reinterpret_cast<const unsigned char *>(der.constData());
    X509 *x509 = d2i_X509(nullptr, &derData, long(der.size()));
    BIO *bio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
    const bool matches = x509 && key && X509_check_private_key(x509, key) == 1;
    EVP_PKEY_free(key);
    BIO_free(bio);
    X509_free(x509);
    return matches;
}

} // namespace

Result<QSslConfiguration, TlsSetupError> TlsSetup::load(const QString &certFile, const QString &keyFile)
{
    QString why;
    const auto certPem = readFile(certFile, &why);
    if (!certPem)
        return Fail { TlsSetupError::CertificateUnreadable,
            u"cannot read TLS certificate %1: %2"_s.arg(certFile, why) };
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull())
        return Fail { TlsSetupError::CertificateInvalid,
            u"TLS certificate %1 holds no PEM certificate"_s.arg(certFile) };
    const QSslCertificate &leaf = chain.constFirst();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (leaf.expiryDate() < now || leaf.effectiveDate() > now)
        return Fail { TlsSetupError::CertificateInvalid,
            u"TLS certificate %1 is valid only from %2 to %3"_s.arg(certFile,
                leaf.effectiveDate().toString(Qt::ISODate), leaf.expiryDate().toString(Qt::ISODate)) };
    const auto keyPem = readFile(keyFile, &why);
    if (!keyPem)
        return Fail { TlsSetupError::KeyUnreadable, u"cannot read TLS key %1: %2"_s.arg(keyFile, why) };
    const QSslKey key = qtKey(*keyPem);
    if (key.isNull())
        return Fail { TlsSetupError::KeyInvalid,
            u"TLS key %1 is not an unencrypted PEM private key (RSA, EC or DSA)"_s.arg(keyFile) };
    if (!keyMatches(leaf, *keyPem))
        return Fail { TlsSetupError::KeyMismatch,
            u"TLS key %1 does not belong to the certificate in %2"_s.arg(keyFile, certFile) };

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    // Clients are not asked for certificates: they authenticate with passwords and tokens inside.
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

Result<std::optional<QSslConfiguration>, TlsSetupError> TlsSetup::fromConfig(const ServerConfig &config)
{
    if (config.tlsCertFile.isEmpty())
        return std::optional<QSslConfiguration>();
    auto loaded = load(config.tlsCertFile, config.tlsKeyFile);
    if (!loaded.ok())
        return loaded.error();
    return std::optional<QSslConfiguration>(std::move(loaded).value());
}

std::optional<QString> TlsSetup::plainTextRefusal(const ServerConfig &config)
{
    if (!config.tlsCertFile.isEmpty() || config.insecure || config.listenAddress.isLoopback())
        return std::nullopt;
    return u"refusing to listen on %1 without TLS: passwords and session tokens would cross the "
           "network in clear text. Give --tls-cert FILE and --tls-key FILE, or --insecure to accept "
           "that (e.g. behind a TLS-terminating proxy)."_s.arg(config.listenAddress.toString());
}

QString TlsSetup::spkiSha256(const QSslCertificate &certificate)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(certificate.publicKey().toDer(), QCryptographicHash::Sha256).toHex());
}

} // namespace chattermesh::server

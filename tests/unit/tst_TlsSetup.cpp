// SPDX-License-Identifier: GPL-3.0-or-later
// The server's TLS set-up on its own: the certificate and key files it refuses (and why, naming the
// file), the plain-text rule for addresses beyond loopback, the command line and config file keys,
// and the key fingerprint clients pin, checked against the openssl CLI's (tests/data/tls/*.spki).
#include "CommandLine.h"
#include "TlsSetup.h"
#include "TlsTestData.h"
#include "TlsTrust.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace chattermesh;
using namespace chattermesh::server;
using namespace Qt::StringLiterals;
using chattermesh::test::spkiOf;
using chattermesh::test::tls;

namespace {

ServerConfig listeningOn(const QString &address)
{
    ServerConfig config;
    config.listenAddress = QHostAddress(address);
    return config;
}

} // namespace

class tst_TlsSetup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsAMatchingPair()
    {
        const auto loaded = TlsSetup::load(tls(u"server.pem"_s), tls(u"server.key"_s));
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QVERIFY(!loaded.value().localCertificate().isNull());
        QVERIFY(!loaded.value().privateKey().isNull());
        QCOMPARE(loaded.value().localCertificate().subjectInfo(QSslCertificate::CommonName).value(0),
            u"ChatterMesh test server A"_s);
    }

    void refusesBadFiles_data()
    {
        QTest::addColumn<QString>("cert");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("named"); // the file the message must name
        QTest::addRow("missing certificate") << tls(u"absent.pem"_s) << tls(u"server.key"_s)
                                             << int(TlsSetupError::CertificateUnreadable) << u"absent.pem"_s;
        QTest::addRow("garbage certificate") << tls(u"garbage.pem"_s) << tls(u"server.key"_s)
                                             << int(TlsSetupError::CertificateInvalid) << u"garbage.pem"_s;
        QTest::addRow("key as certificate") << tls(u"server.key"_s) << tls(u"server.key"_s)
                                            << int(TlsSetupError::CertificateInvalid) << u"server.key"_s;
        QTest::addRow("missing key") << tls(u"server.pem"_s) << tls(u"absent.key"_s)
                                     << int(TlsSetupError::KeyUnreadable) << u"absent.key"_s;
        QTest::addRow("garbage key") << tls(u"server.pem"_s) << tls(u"garbage.pem"_s)
                                     << int(TlsSetupError::KeyInvalid) << u"garbage.pem"_s;
        QTest::addRow("certificate as key")
            << tls(u"server.pem"_s) << tls(u"ca.pem"_s) << int(TlsSetupError::KeyInvalid) << u"ca.pem"_s;
        QTest::addRow("another certificate's key") << tls(u"server.pem"_s) << tls(u"other.key"_s)
                                                   << int(TlsSetupError::KeyMismatch) << u"other.key"_s;
        QTest::addRow("self-signed cert, CA key")
            << tls(u"wrong.pem"_s) << tls(u"ca.key"_s) << int(TlsSetupError::KeyMismatch) << u"ca.key"_s;
    }

    void refusesBadFiles()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(int, error);
        QFETCH(QString, named);
        const auto loaded = TlsSetup::load(cert, key);
        QVERIFY(!loaded.ok());
        QCOMPARE(int(loaded.error().code), error);
        QVERIFY2(loaded.error().message.contains(named), qPrintable(loaded.error().message));
        // Never the key material itself.
        QVERIFY(!loaded.error().message.contains(u"PRIVATE KEY"_s));
    }

    void refusesAnUnreadableFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"locked.key"_s);
        QFile::copy(tls(u"server.key"_s), path);
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions()));
        QFile probe(path);
        if (probe.open(QIODevice::ReadOnly)) // running as root: permissions do not stop us
            QVERIFY(TlsSetup::load(tls(u"server.pem"_s), path).ok());
        else
            QCOMPARE(TlsSetup::load(tls(u"server.pem"_s), path).error().code, TlsSetupError::KeyUnreadable);
    }

    void plainTextOnlyOnLoopbackUnlessInsecure()
    {
        QVERIFY(!TlsSetup::plainTextRefusal(listeningOn(u"127.0.0.1"_s)));
        QVERIFY(!TlsSetup::plainTextRefusal(listeningOn(u"::1"_s)));
        for (const QString &address : { u"0.0.0.0"_s, u"192.0.2.7"_s, u"::"_s }) {
            ServerConfig config = listeningOn(address);
            const auto refusal = TlsSetup::plainTextRefusal(config);
            QVERIFY2(refusal, qPrintable(address));
            QVERIFY(refusal->contains(address));
            QVERIFY(refusal->contains(u"--tls-cert"_s));
            QVERIFY(refusal->contains(u"--insecure"_s));
            config.insecure = true;
            QVERIFY(!TlsSetup::plainTextRefusal(config));
            config.insecure = false;
            config.tlsCertFile = tls(u"server.pem"_s);
            config.tlsKeyFile = tls(u"server.key"_s);
            QVERIFY(!TlsSetup::plainTextRefusal(config));
        }
    }

    void commandLineAndConfigFile()
    {
        const QStringList base { u"chattermesh-server"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s,
            u"/tmp/x"_s };
        const auto plain = CommandLine::parse(base);
        QCOMPARE(plain.action(), CommandLine::Action::Run);
        QVERIFY(!plain.config().insecure);
        QVERIFY(plain.config().tlsCertFile.isEmpty());

        const auto both = CommandLine::parse(
            base + QStringList { u"--tls-cert"_s, u"c.pem"_s, u"--tls-key"_s, u"k.pem"_s, u"--insecure"_s });
        QCOMPARE(both.action(), CommandLine::Action::Run);
        QCOMPARE(both.config().tlsCertFile, u"c.pem"_s);
        QCOMPARE(both.config().tlsKeyFile, u"k.pem"_s);
        QVERIFY(both.config().insecure);

        const auto half = CommandLine::parse(base + QStringList { u"--tls-cert"_s, u"c.pem"_s });
        QCOMPARE(half.action(), CommandLine::Action::Fail);
        QVERIFY(half.text().contains(u"--tls-cert and --tls-key go together"_s));

        QTemporaryDir dir;
        QFile file(dir.filePath(u"server.conf"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("tls-cert = c.pem\ntls-key = k.pem\ninsecure = true\n");
        file.close();
        const auto fromFile = CommandLine::parse(base + QStringList { u"--config"_s, file.fileName() });
        QCOMPARE(fromFile.action(), CommandLine::Action::Run);
        QCOMPARE(fromFile.config().tlsKeyFile, u"k.pem"_s);
        QVERIFY(fromFile.config().insecure);

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("insecure = maybe\n");
        file.close();
        const auto bad = CommandLine::parse(base + QStringList { u"--config"_s, file.fileName() });
        QCOMPARE(bad.action(), CommandLine::Action::Fail);
        QVERIFY2(bad.text().contains(u"insecure must be true or false"_s), qPrintable(bad.text()));
    }

    // Server and client compute the pin the same way, and it is the SPKI hash openssl computes.
    void fingerprintIsTheSpkiHash()
    {
        for (const QString &name : { u"server"_s, u"other"_s, u"wrong"_s }) {
            const auto certs = QSslCertificate::fromPath(tls(name + u".pem"_s));
            QCOMPARE(certs.size(), 1);
            const QString expected = spkiOf(name);
            QCOMPARE(expected.size(), 64);
            QCOMPARE(TlsSetup::spkiSha256(certs.constFirst()), expected);
            QCOMPARE(sync::TlsTrust::spkiSha256(certs.constFirst()), expected);
        }
    }

    void clientTrustConfiguration()
    {
        const auto withCa = sync::TlsTrust::configuration(tls(u"ca.pem"_s));
        QVERIFY(withCa.ok());
        QCOMPARE(withCa.value().peerVerifyMode(), QSslSocket::VerifyPeer);
        QVERIFY(
            withCa.value().caCertificates().contains(QSslCertificate::fromPath(tls(u"ca.pem"_s)).value(0)));
        const auto missing = sync::TlsTrust::configuration(tls(u"absent.pem"_s));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, sync::TlsError::CaFileInvalid);
        QVERIFY(missing.error().message.contains(u"absent.pem"_s));
        const auto garbage = sync::TlsTrust::configuration(tls(u"garbage.pem"_s));
        QVERIFY(!garbage.ok());
        QCOMPARE(garbage.error().code, sync::TlsError::CaFileInvalid);
        QCOMPARE(sync::TlsTrust::endpoint(QUrl(u"wss://Example.org/x"_s)), u"example.org:443"_s);
        QCOMPARE(sync::TlsTrust::endpoint(QUrl(u"wss://127.0.0.1:4433"_s)), u"127.0.0.1:4433"_s);
        QVERIFY(sync::TlsTrust::isLoopback(QUrl(u"ws://localhost:1"_s)));
        QVERIFY(sync::TlsTrust::isLoopback(QUrl(u"ws://[::1]:1"_s)));
        QVERIFY(!sync::TlsTrust::isLoopback(QUrl(u"ws://192.0.2.7:1"_s)));
        QVERIFY(!sync::TlsTrust::isLoopback(QUrl(u"ws://chat.example.org:1"_s)));
    }
};

QTEST_GUILESS_MAIN(tst_TlsSetup)
#include "tst_TlsSetup.moc"

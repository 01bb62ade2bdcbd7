// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProtobufLog.h"
#include "SessionController.h"
#include "StoreKeychain.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(ChatterMeshPlugin)

using namespace chattermesh;

int main(int argc, char **argv)
{
    // QApplication rather than QGuiApplication: the tray icon (qml/controllers/Notifier) is a widget.
    QApplication app(argc, argv);
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/chattermesh.png")));
    chattermesh::proto::routeProtobufLogs();
    QGuiApplication::setOrganizationName(QStringLiteral("ChatterMesh"));
    QGuiApplication::setApplicationName(QStringLiteral("ChatterMesh"));
    QGuiApplication::setApplicationVersion(QStringLiteral(CHATTERMESH_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.chattermesh.ChatterMesh"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("End-to-end encrypted chat."));
    p.addHelpOption();
    p.addVersionOption();
    QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Server URL."), QStringLiteral("url"),
        QStringLiteral("ws://127.0.0.1:8765"));
    QCommandLineOption profile(QStringLiteral("profile"),
        QStringLiteral("Profile directory (one account each)."), QStringLiteral("dir"));
    QCommandLineOption noKeychain(QStringLiteral("no-keychain"),
        QStringLiteral("Protect the store with a passphrase instead of the OS keychain."));
    QCommandLineOption check(
        QStringLiteral("check"), QStringLiteral("Load the window, render one frame and exit (0: it works)."));
    QCommandLineOption caFile(QStringLiteral("ca-file"),
        QStringLiteral("Also trust the CA certificates in this PEM file (a self-hosted server's CA)."),
        QStringLiteral("file"));
    QCommandLineOption noPin(QStringLiteral("no-pin"),
        QStringLiteral("Do not pin the server's key on first use, nor check it against the pin."));
    QCommandLineOption insecure(
        QStringLiteral("insecure"), QStringLiteral("Allow plain ws:// to a server that is not on loopback."));
    p.addOptions({ server, profile, noKeychain, check, caFile, noPin, insecure });
    p.process(app);

    QString dir = p.value(profile);
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/default");
    QDir().mkpath(dir);

    qml::SessionController::Config config;
    config.storePath = dir + QStringLiteral("/store.db");
    config.serverUrl = p.value(server);
    config.deviceName = QSysInfo::machineHostName();
    config.tlsCaFile = p.value(caFile);
    config.pinCertificate = !p.isSet(noPin);
    config.allowPlainText = p.isSet(insecure);
    qml::SessionController session(config);
    qml::SessionController::setInstance(&session);
    session.setLanguage(QSettings().value(QStringLiteral("language")).toString());

    if (!p.isSet(noKeychain)) {
        auto *keychain
            = new app::StoreKeychain(QDir(dir).absolutePath(), QFile::exists(config.storePath), &app);
        QObject::connect(keychain, &app::StoreKeychain::keyReady, &session,
            [&session](const QByteArray &key) { session.unlockWithRawKey(key); });
        QObject::connect(
            keychain, &app::StoreKeychain::unavailable, &session, [&session](const QString &why) {
                qInfo("no keychain (%s): the store is protected by a passphrase", qPrintable(why));
                session.setNeedsPassphrase(true);
            });
        keychain->fetch();
    }

    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QQmlApplicationEngine engine;
    // The module's files sit under qrc:/ChatterMesh; without this, a page in a subfolder that
    // imports ChatterMesh cannot find the module and the window never loads.
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.addImageProvider(QStringLiteral("chattermesh"), session.createImageProvider());
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/ChatterMesh/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    // A notification was clicked: bring the window to the front.
    if (auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst()))
        QObject::connect(&session, &qml::SessionController::raiseRequested, window, [window] {
            window->show();
            window->raise();
            window->requestActivate();
        });
    if (p.isSet(check)) {
        // The window loaded; one rendered frame proves the scene graph runs too.
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        if (!window)
            return 1;
        QObject::connect(window, &QQuickWindow::frameSwapped, &app, [] { QCoreApplication::exit(0); });
        QTimer::singleShot(30000, &app, [] { QCoreApplication::exit(2); });
    }
    return app.exec();
}

// SPDX-License-Identifier: GPL-3.0-or-later
// QML tests run against a real chattermesh-server started here and a real engine per test run.
#include "ServerProcess.h"
#include "SessionController.h"

#include <QDir>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(ChatterMeshPlugin)

using namespace chattermesh;

// What the QML tests need from outside: where to write screenshots.
class TestEnv : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString screenshotDir READ screenshotDir CONSTANT)
public:
    QString screenshotDir() const
    {
        const QString dir = qEnvironmentVariable("CHATTERMESH_SCREENSHOT_DIR", QStringLiteral("screenshots"));
        QDir().mkpath(dir);
        return QDir(dir).absolutePath();
    }
};

class UiTestSetup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable()
    {
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        m_server = std::make_unique<test::ServerProcess>();
        if (!m_server->start())
            qFatal("chattermesh-server did not start");
        qml::SessionController::Config config;
        config.storePath = m_dir.filePath(QStringLiteral("ui-store.db"));
        config.serverUrl = m_server->url().toString();
        config.deviceName = QStringLiteral("ui-test");
        config.minBackoffMs = 20;
        m_session = std::make_unique<qml::SessionController>(config);
        qml::SessionController::setInstance(m_session.get());
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        qmlRegisterSingletonInstance("ChatterMesh.Test", 1, 0, "TestEnv", &m_env);
    }
    // The application object is gone by the time this object is destroyed: stop everything here.
    void cleanupTestCase()
    {
        m_session.reset();
        m_server.reset();
    }

private:
    std::unique_ptr<test::ServerProcess> m_server;
    TestEnv m_env;
    QTemporaryDir m_dir;
    std::unique_ptr<qml::SessionController> m_session;
};

QUICK_TEST_MAIN_WITH_SETUP(chattermesh_ui, UiTestSetup)
#include "tst_ui.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// QML tests run against a real chattermesh-server started here and a real engine per test run,
// plus a second real engine ("the peer") that the QML tests drive through TestEnv: it writes,
// types, reads, goes offline. Both engines keep real SQLCipher stores and libsignal sessions.
#include "Engine.h"
#include "LiveState.h"
#include "ServerProcess.h"
#include "SessionController.h"
#include "TestMicrophone.h"
#include "TestNotifications.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>
#include <memory>

Q_IMPORT_QML_PLUGIN(ChatterMeshPlugin)

using namespace chattermesh;

// What the QML tests need from outside: where to write screenshots, and the peer.
class TestEnv : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString screenshotDir READ screenshotDir CONSTANT)
    Q_PROPERTY(QString peerName READ peerName CONSTANT)
public:
    QString screenshotDir() const
    {
        const QString dir = qEnvironmentVariable("CHATTERMESH_SCREENSHOT_DIR", QStringLiteral("screenshots"));
        QDir().mkpath(dir);
        return QDir(dir).absolutePath();
    }
    QString peerName() const { return QStringLiteral("peerbob"); }

    // The peer signs up on the real server; false if it did not get online.
    bool startPeer(const QUrl &server, const QString &dir)
    {
        core::EngineOptions o;
        o.serverUrl = server;
        o.storePath = dir + QStringLiteral("/peer.db");
        o.key = core::DbKey::passphrase(QStringLiteral("peer passphrase"));
        o.deviceName = QStringLiteral("peer");
        o.minBackoffMs = 20;
        m_peerOptions = o;
        m_peerDir = dir;
        m_peer = std::make_unique<core::Engine>(o);
        if (!m_peer->open().ok())
            return false;
        m_peer->registerAccount(peerName(), QStringLiteral("correct horse battery"));
        return QTest::qWaitFor([this] { return m_peer->status() == core::Engine::Status::Online; }, 30000);
    }
    // After peerGoesOffline(): the same device starts again from its store and session.
    Q_INVOKABLE bool peerComesBack()
    {
        if (m_peer && m_peer->status() == core::Engine::Status::Online)
            return true;
        m_peer = std::make_unique<core::Engine>(m_peerOptions);
        return m_peer->open().ok()
            && QTest::qWaitFor([this] { return m_peer->status() == core::Engine::Status::Online; }, 30000);
    }
    void stopPeer()
    {
        m_peerSecond.reset();
        m_peer.reset();
    }

    Q_INVOKABLE bool peerSend(const QString &to, const QString &text)
    {
        return m_peer->sendText(to, text).ok();
    }
    Q_INVOKABLE bool peerSendFile(const QString &to, const QString &path)
    {
        return m_peer->sendMedia({ to }, path).ok();
    }
    // A real JPEG photo (a gradient with a disc, so a wrong orientation or crop would show).
    Q_INVOKABLE QString makePhoto(int width, int height)
    {
        QImage image(width, height, QImage::Format_RGB32);
        QPainter p(&image);
        QLinearGradient g(0, 0, width, height);
        g.setColorAt(0, QColor(0x1769d1));
        g.setColorAt(1, QColor(0xf5a623));
        p.fillRect(image.rect(), g);
        p.setBrush(Qt::white);
        p.drawEllipse(QPoint(width / 3, height / 2), height / 4, height / 4);
        p.end();
        const QString path = m_files.filePath(QStringLiteral("photo-%1x%2.jpg").arg(width).arg(height));
        return image.save(path, "JPG", 90) ? path : QString();
    }
    // What the peer's composer holds: typing starts, and stops when it is emptied.
    Q_INVOKABLE void peerTypes(const QString &to, const QString &text)
    {
        if (const qint64 conv = conversationWith(to))
            m_peer->composerChanged(conv, text);
    }
    // The peer has read everything in its conversation with `to`.
    Q_INVOKABLE void peerReadsAll(const QString &to)
    {
        const qint64 conv = conversationWith(to);
        const auto page = m_peer->history(to, 0, 1);
        if (conv > 0 && page && !page.value().isEmpty())
            m_peer->markRead(conv, page.value().constLast().seq);
    }
    Q_INVOKABLE void peerGoesOffline() { m_peer->close(); }
    // The peer makes a group with `members`; answered by the group appearing on their side.
    Q_INVOKABLE void peerCreatesGroup(const QString &title, const QStringList &members)
    {
        m_peer->createGroup(title, members);
    }
    // The peer has read everything in the group called `title`.
    Q_INVOKABLE bool peerReadsGroup(const QString &title)
    {
        const auto list = m_peer->conversations();
        if (!list)
            return false;
        for (const core::ConversationInfo &c : list.value())
            if (c.group && c.title == title) {
                const auto page = m_peer->groupHistory(c.serverId, 0, 1);
                if (!page || page.value().isEmpty())
                    return false;
                m_peer->markRead(c.serverId, page.value().constLast().seq);
                return true;
            }
        return false;
    }
    // The 60 digits the peer's phone shows for its conversation with `with`.
    Q_INVOKABLE QString peerSafetyNumber(const QString &with)
    {
        const auto n = m_peer->safetyNumber(with);
        return n ? n.value().digits : QString();
    }
    // The peer signs in on a second, new device (its own identity key) and writes from there:
    // to anyone who verified the peer, its safety number changed.
    Q_INVOKABLE bool peerNewDeviceSends(const QString &to, const QString &text)
    {
        if (!m_peerSecond) {
            core::EngineOptions o = m_peerOptions;
            o.storePath = m_peerDir + QStringLiteral("/peer-second.db");
            o.deviceName = QStringLiteral("peer's new phone");
            m_peerSecond = std::make_unique<core::Engine>(o);
            if (!m_peerSecond->open().ok())
                return false;
            m_peerSecond->login(peerName(), QStringLiteral("correct horse battery"));
            if (!QTest::qWaitFor(
                    [this] { return m_peerSecond->status() == core::Engine::Status::Online; }, 30000))
                return false;
        }
        return m_peerSecond->sendText(to, text).ok();
    }
    // `key` is "#<group server id>", as the UI names groups.
    Q_INVOKABLE bool peerSendGroup(const QString &key, const QString &text)
    {
        return m_peer->sendGroupText(key.mid(1).toLongLong(), text).ok();
    }
    // The role the peer's own device shows for `user` in the group: "owner", "admin", "member",
    // or "" when `user` is not in it.
    Q_INVOKABLE QString peerSeesRole(const QString &key, const QString &user)
    {
        const auto g = m_peer->group(key.mid(1).toLongLong());
        if (!g)
            return QString();
        for (const core::GroupMember &m : g->members)
            if (m.username == user)
                return m.role == proto::OWNER ? QStringLiteral("owner")
                    : m.role == proto::ADMIN  ? QStringLiteral("admin")
                                              : QStringLiteral("member");
        return QString();
    }
    Q_INVOKABLE QString peerSeesGroupTitle(const QString &key)
    {
        const auto g = m_peer->group(key.mid(1).toLongLong());
        return g ? g->title : QString();
    }
    // Asks the server for `user`'s presence as the peer may see it; true once it says online.
    Q_INVOKABLE bool peerSeesOnline(const QString &user)
    {
        m_peer->live()->requestPresence({ user });
        return m_peer->live()->presence(user).online;
    }
    // What the app keeps in QSettings (test mode: a private location).
    Q_INVOKABLE QVariant setting(const QString &key) const { return QSettings().value(key); }

    // A file from tests/data/media, as a path.
    Q_INVOKABLE QString mediaSample(const QString &name) const
    {
        return QStringLiteral(CHATTERMESH_TEST_DATA "/media/") + name;
    }
    Q_INVOKABLE QUrl fileUrl(const QString &path) const { return QUrl::fromLocalFile(path); }
    // The peer's newest attachment from `from`: asks for it (once) and answers true once it is
    // downloaded, checked, and byte for byte the file at `path`.
    Q_INVOKABLE bool peerGotFile(const QString &from, const QString &path)
    {
        const auto page = m_peer->history(from, 0, 1);
        if (!page || page.value().isEmpty() || page.value().constLast().kind != core::MessageKind::Media)
            return false;
        const qint64 id = page.value().constLast().localId;
        const auto t = m_peer->transferOf(id);
        if (!t) {
            m_peer->download(id);
            return false;
        }
        const auto bytes = m_peer->readMedia(id);
        QFile original(path);
        return bytes && original.open(QIODevice::ReadOnly) && bytes.value() == original.readAll();
    }

    // The peer's newest message from `from`, if it is a voice note: fetched (asked once), then its
    // recorded duration in ms once the decrypted note is here; 0 until then.
    Q_INVOKABLE double peerGotVoiceNote(const QString &from)
    {
        const auto page = m_peer->history(from, 0, 1);
        if (!page || page.value().isEmpty() || page.value().constLast().kind != core::MessageKind::Media)
            return 0;
        const qint64 id = page.value().constLast().localId;
        const auto media = m_peer->mediaOf(id);
        if (!media || media->kind() != content::Media::VOICE)
            return 0;
        if (!m_peer->transferOf(id)) {
            m_peer->download(id);
            return 0;
        }
        const auto bytes = m_peer->readMedia(id);
        return bytes && !bytes.value().isEmpty() ? double(media->duration_ms()) : 0;
    }
    // Plaintext recordings left in the app's recordings folder (none once a note is sent or
    // cancelled).
    Q_INVOKABLE int recordingsLeft() const
    {
        return int(QDir(m_uiStorePath + QStringLiteral(".media/rec")).entryList(QDir::Files).size());
    }
    void setUiStorePath(const QString &path) { m_uiStorePath = path; }

    // What the desktop's notification service was asked to show, and clicking it.
    void setNotifications(TestNotifications *service) { m_notifications = service; }
    Q_INVOKABLE int desktopNotifications() const { return m_notifications->count(); }
    Q_INVOKABLE QVariantMap lastDesktopNotification() const { return m_notifications->last(); }
    Q_INVOKABLE void clickDesktopNotification() { m_notifications->clickLast(); }

    Q_INVOKABLE QStringList peerReceived(const QString &from)
    {
        QStringList bodies;
        if (const auto page = m_peer->history(from, 0, 1000))
            for (const core::StoredMessage &m : page.value())
                if (!m.outgoing)
                    bodies.append(m.body);
        return bodies;
    }

private:
    qint64 conversationWith(const QString &user)
    {
        const auto page = m_peer->history(user, 0, 1);
        return page && !page.value().isEmpty() ? page.value().constLast().conversationServerId : 0;
    }

    std::unique_ptr<core::Engine> m_peer;
    std::unique_ptr<core::Engine> m_peerSecond;
    core::EngineOptions m_peerOptions;
    QString m_peerDir;
    QString m_uiStorePath;
    TestNotifications *m_notifications = nullptr;
    QTemporaryDir m_files;
};

class UiTestSetup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable()
    {
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        // The settings the app writes (theme, language) go to a throwaway place, not the user's.
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        // The voice-note tests record from this, the default input (before Qt Multimedia starts).
        if (const QString error = m_microphone.start(); !error.isEmpty())
            qFatal("the test microphone did not start: %s", qPrintable(error));
        // Notifications go to a private session bus's service, before the app opens the bus.
        if (const QString error = m_notifications.start(); !error.isEmpty())
            qFatal("the test notification service did not start: %s", qPrintable(error));
        m_env.setNotifications(&m_notifications);
        m_server = std::make_unique<test::ServerProcess>();
        if (!m_server->start())
            qFatal("chattermesh-server did not start");
        if (!m_env.startPeer(m_server->url(), m_dir.path()))
            qFatal("the peer did not get online");
        qml::SessionController::Config config;
        config.storePath = m_dir.filePath(QStringLiteral("ui-store.db"));
        m_env.setUiStorePath(config.storePath);
        config.serverUrl = m_server->url().toString();
        config.deviceName = QStringLiteral("ui-test");
        config.minBackoffMs = 20;
        m_session = std::make_unique<qml::SessionController>(config);
        qml::SessionController::setInstance(m_session.get());
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        engine->addImageProvider(QStringLiteral("chattermesh"), m_session->createImageProvider());
        qmlRegisterSingletonInstance("ChatterMesh.Test", 1, 0, "TestEnv", &m_env);
    }
    // The application object is gone by the time this object is destroyed: stop everything here.
    void cleanupTestCase()
    {
        m_session.reset();
        m_env.stopPeer();
        m_server.reset();
        m_microphone.stop();
        m_notifications.stop();
    }

private:
    test::TestMicrophone m_microphone;
    TestNotifications m_notifications;
    std::unique_ptr<test::ServerProcess> m_server;
    TestEnv m_env;
    QTemporaryDir m_dir;
    std::unique_ptr<qml::SessionController> m_session;
};

QUICK_TEST_MAIN_WITH_SETUP(chattermesh_ui, UiTestSetup)
#include "tst_ui.moc"

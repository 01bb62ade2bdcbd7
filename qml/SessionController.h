// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccountSettings.h"
#include "ChatModel.h"
#include "ConversationDetails.h"
#include "ConversationListModel.h"
#include "DraftKeeper.h"
#include "EngineThread.h"
#include "Notifier.h"

#include <QObject>
#include <QQmlEngine>
#include <QQuickImageProvider>
#include <QTranslator>
#include <QUrl>
#include <memory>

namespace chattermesh::qml {

// The account as QML sees it: unlock the store, create an account or sign in, and watch the
// connection. Every call is posted to the engine's thread; state comes back through signals.
class SessionController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(Phase phase READ phase NOTIFY phaseChanged)
    Q_PROPERTY(QString phaseText READ phaseText NOTIFY phaseChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY phaseChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(QString username READ username NOTIFY usernameChanged)
    Q_PROPERTY(bool needsPassphrase READ needsPassphrase NOTIFY needsPassphraseChanged)
    Q_PROPERTY(QString serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(chattermesh::qml::ConversationListModel *conversations READ conversations CONSTANT)
    Q_PROPERTY(chattermesh::qml::ChatModel *chat READ chat CONSTANT)
    Q_PROPERTY(chattermesh::qml::ConversationDetails *details READ details CONSTANT)
    Q_PROPERTY(chattermesh::qml::DraftKeeper *drafts READ drafts CONSTANT)
    Q_PROPERTY(chattermesh::qml::AccountSettings *settings READ settings CONSTANT)
    Q_PROPERTY(chattermesh::qml::Notifier *notifier READ notifier CONSTANT)
    // "" follows the system, "en" or "de"; kept in QSettings.
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
public:
    enum class Phase { Locked, SignedOut, Connecting, SigningIn, Syncing, Online };
    Q_ENUM(Phase)

    struct Config {
        QString storePath;
        QString serverUrl = QStringLiteral("ws://127.0.0.1:8765");
        QString deviceName = QStringLiteral("ChatterMesh desktop");
        int minBackoffMs = 250;
        QString tlsCaFile; // extra CAs for wss:// (core::EngineOptions)
        bool pinCertificate = true;
        bool allowPlainText = false;
    };

    explicit SessionController(Config config, QObject *parent = nullptr);
    ~SessionController() override;

    // The QML singleton is the instance main() (or a test) made; C++ keeps ownership.
    static SessionController *create(QQmlEngine *, QJSEngine *);
    static void setInstance(SessionController *instance) { s_instance = instance; }

    // Opens the store with a raw key from the OS keychain (no passphrase needed).
    void unlockWithRawKey(const QByteArray &key);
    Q_INVOKABLE void unlock(const QString &passphrase);
    Q_INVOKABLE void signIn(const QString &username, const QString &password, bool createAccount);
    // Shows a conversation (a peer's name, or "#<group server id>") in the chat pane.
    Q_INVOKABLE void openConversation(const QString &key, const QString &title);

    Phase phase() const { return m_phase; }
    QString phaseText() const;
    bool busy() const;
    QString errorText() const { return m_error; }
    QString username() const { return m_username; }
    bool needsPassphrase() const { return m_needsPassphrase; }
    void setNeedsPassphrase(bool on);
    QString serverUrl() const { return m_config.serverUrl; }
    void setServerUrl(const QString &url);
    ConversationListModel *conversations() { return &m_conversations; }
    ChatModel *chat() { return &m_chat; } // the open conversation
    ConversationDetails *details() { return &m_details; } // ... its contact or group info
    DraftKeeper *drafts() { return &m_drafts; }
    AccountSettings *settings() { return &m_settings; }
    Notifier *notifier() { return &m_notifier; }
    // Runs `work` on the engine's thread (nothing happens before the store is unlocked).
    void postToEngine(std::function<void(core::Engine *)> work)
    {
        if (core::Engine *e = m_engine.engine())
            m_engine.post([e, work = std::move(work)] { work(e); });
    }
    // For QQmlEngine::addImageProvider("chattermesh", ...), which takes ownership.
    QQuickImageProvider *createImageProvider();
    QString language() const { return m_language; }
    void setLanguage(const QString &language);

Q_SIGNALS:
    void phaseChanged();
    void errorTextChanged();
    void usernameChanged();
    void needsPassphraseChanged();
    void serverUrlChanged();
    void conversationOpened(const QString &key);
    void languageChanged();
    // A notification was clicked: the window should come to the front.
    void raiseRequested();

private:
    void open(core::DbKey key);
    void setPhase(Phase p);
    void setError(const QString &e);
    void onEngineStatus(core::Engine::Status s);
    void wireControllers();
    void loadMuted();

    static inline SessionController *s_instance = nullptr;
    Config m_config;
    EngineThread m_engine;
    ConversationListModel m_conversations;
    ChatModel m_chat;
    ConversationDetails m_details;
    DraftKeeper m_drafts;
    AccountSettings m_settings;
    Notifier m_notifier { m_settings };
    Phase m_phase = Phase::Locked;
    QString m_error;
    QString m_username;
    bool m_needsPassphrase = true;
    bool m_storeOpen = false;
    bool m_wired = false;
    QString m_language;
    bool m_languageApplied = false;
    std::unique_ptr<QTranslator> m_translator;
    QQmlEngine *m_qmlEngine = nullptr;
};

} // namespace chattermesh::qml

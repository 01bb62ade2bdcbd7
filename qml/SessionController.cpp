// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionController.h"

#include "MediaImageProvider.h"

#include <QCoreApplication>
#include <QSettings>

namespace chattermesh::qml {

using core::Engine;

SessionController::SessionController(Config config, QObject *parent)
    : QObject(parent), m_config(std::move(config))
{ }

SessionController::~SessionController()
{
    m_drafts.flush(); // posted to the engine before EngineThread's destructor stops it
    if (s_instance == this)
        s_instance = nullptr;
}

SessionController *SessionController::create(QQmlEngine *qml, QJSEngine *)
{
    Q_ASSERT(s_instance);
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    s_instance->m_qmlEngine = qml;
    return s_instance;
}

void SessionController::setLanguage(const QString &language)
{
    if (m_languageApplied && language == m_language)
        return;
    m_languageApplied = true;
    m_language = language;
    QSettings().setValue(QStringLiteral("language"), language);
    if (m_translator) {
        QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
    }
    // Only what the app ships: English is the source language, German the one translation.
    // Dates and times follow the system unless German is chosen (English is the source language:
    // choosing it keeps the system's date and clock formats).
    const QLocale locale = language == u"de" ? QLocale(QLocale::German, QLocale::Germany) : QLocale::system();
    QLocale::setDefault(locale);
    const bool german
        = language == u"de" || (language.isEmpty() && QLocale::system().language() == QLocale::German);
    if (german) {
        auto translator = std::make_unique<QTranslator>();
        if (translator->load(QStringLiteral(":/i18n/chattermesh_de.qm"))) {
            QCoreApplication::installTranslator(translator.get());
            m_translator = std::move(translator);
        } else {
            qWarning("the German translation is missing from the resources");
        }
    }
    if (m_qmlEngine)
        m_qmlEngine->retranslate(); // every qsTr() binding
    // ... and what C++ made with tr() and QLocale.
    Q_EMIT phaseChanged();
    m_chat.retranslate();
    m_conversations.retranslate();
    Q_EMIT languageChanged();
}

QString SessionController::phaseText() const
{
    switch (m_phase) {
    case Phase::Locked:
        return tr("Locked");
    case Phase::SignedOut:
        return tr("Not signed in");
    case Phase::Connecting:
        return tr("Connecting…");
    case Phase::SigningIn:
        return tr("Signing in…");
    case Phase::Syncing:
        return tr("Catching up…");
    case Phase::Online:
        return tr("Online");
    }
    return QString();
}

bool SessionController::busy() const
{
    return m_phase == Phase::Connecting || m_phase == Phase::SigningIn || m_phase == Phase::Syncing;
}

void SessionController::setNeedsPassphrase(bool on)
{
    if (m_needsPassphrase == on)
        return;
    m_needsPassphrase = on;
    Q_EMIT needsPassphraseChanged();
}

void SessionController::setServerUrl(const QString &url)
{
    if (m_config.serverUrl == url)
        return;
    m_config.serverUrl = url;
    Q_EMIT serverUrlChanged();
}

void SessionController::setPhase(Phase p)
{
    if (m_phase == p)
        return;
    m_phase = p;
    Q_EMIT phaseChanged();
}

void SessionController::setError(const QString &e)
{
    if (m_error == e)
        return;
    m_error = e;
    Q_EMIT errorTextChanged();
}

void SessionController::unlockWithRawKey(const QByteArray &key)
{
    setNeedsPassphrase(false);
    open(core::DbKey::raw(key));
}

void SessionController::unlock(const QString &passphrase)
{
    if (passphrase.isEmpty()) {
        setError(tr("Enter the passphrase that protects this device's messages."));
        return;
    }
    open(core::DbKey::passphrase(passphrase));
}

void SessionController::open(core::DbKey key)
{
    core::EngineOptions o;
    o.serverUrl = QUrl(m_config.serverUrl);
    o.storePath = m_config.storePath;
    o.key = std::move(key);
    o.deviceName = m_config.deviceName;
    o.minBackoffMs = m_config.minBackoffMs;
    o.tlsCaFile = m_config.tlsCaFile;
    o.pinCertificate = m_config.pinCertificate;
    o.allowPlainText = m_config.allowPlainText;
    m_engine.create(o);
    Engine *e = m_engine.engine();
    m_conversations.attach(&m_engine);
    m_chat.attach(&m_engine);
    m_details.attach(&m_engine);
    m_drafts.attach(&m_engine);
    m_settings.attach(&m_engine);
    m_notifier.attach(&m_engine);
    wireControllers();
    connect(e, &Engine::statusChanged, this, &SessionController::onEngineStatus);
    connect(e, &Engine::authenticated, this, [this](const QString &user, qint64) {
        m_username = user;
        Q_EMIT usernameChanged();
        setError(QString());
    });
    connect(e, &Engine::authFailed, this, [this](proto::ErrorCode code, const QString &msg) {
        switch (code) {
        case proto::INVALID_CREDENTIALS:
            setError(tr("Wrong username or password."));
            break;
        case proto::USERNAME_TAKEN:
            setError(tr("That username is taken."));
            break;
        case proto::INVALID_TOKEN:
        case proto::TOKEN_EXPIRED:
            setError(tr("Your session ended. Please sign in again."));
            break;
        case proto::TOO_MANY_ATTEMPTS:
            setError(tr("Too many failed attempts. Wait a little, then try again."));
            break;
        default:
            setError(msg);
        }
    });
    connect(e, &Engine::storeFailed, this, [this](core::StoreError, const QString &msg) { setError(msg); });
    // The engine stops on these (retrying cannot fix a certificate); the message says what to check.
    connect(e, &Engine::tlsFailed, this, [this](sync::TlsError, const QString &msg) {
        setError(tr("Not connecting to the server: %1").arg(msg));
    });
    setPhase(Phase::Connecting);
    m_engine.post([this, e] {
        const auto r = e->open();
        const bool ok = r.ok();
        const QString error = ok ? QString() : r.error().message;
        const bool wrongKey = !ok && r.error().code == core::StoreError::WrongKey;
        QMetaObject::invokeMethod(this, [this, ok, error, wrongKey] {
            m_storeOpen = ok;
            if (!ok) {
                setPhase(Phase::Locked);
                setError(wrongKey ? tr("Wrong passphrase: this device's messages stay locked.") : error);
                return;
            }
            setError(QString());
            loadMuted();
        });
    });
}

void SessionController::signIn(const QString &username, const QString &password, bool createAccount)
{
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        setError(tr("Enter a username and a password."));
        return;
    }
    Engine *e = m_engine.engine();
    if (!e)
        return setError(tr("Unlock this device first."));
    setError(QString());
    setPhase(Phase::Connecting);
    const QString user = username.trimmed();
    m_engine.post([e, user, password, createAccount] {
        if (createAccount)
            e->registerAccount(user, password);
        else
            e->login(user, password);
    });
}

QQuickImageProvider *SessionController::createImageProvider()
{
    return new MediaImageProvider(&m_engine);
}

void SessionController::wireControllers()
{
    if (m_wired)
        return; // a second unlock (wrong passphrase first) reuses the same connections
    m_wired = true;
    connect(&m_drafts, &DraftKeeper::saved, &m_conversations, &ConversationListModel::refresh);
    connect(&m_details, &ConversationDetails::mutedChanged, this, [this](const QString &key, bool muted) {
        m_notifier.setMuted(key, muted);
        m_conversations.refresh();
    });
    connect(&m_details, &ConversationDetails::groupCreated, this, &SessionController::openConversation);
    connect(&m_conversations, &ConversationListModel::unreadTotalChanged, this,
        [this] { m_notifier.setUnreadTotal(m_conversations.unreadTotal()); });
    connect(&m_notifier, &Notifier::openRequested, this, [this](const QString &key) {
        if (!key.isEmpty()) {
            const int row = m_conversations.indexOfKey(key);
            openConversation(key, row >= 0 ? m_conversations.titleAt(row) : QString());
        }
        Q_EMIT raiseRequested();
    });
}

void SessionController::loadMuted()
{
    m_engine.post([this, e = m_engine.engine()] {
        const auto muted = e->mutedConversations();
        if (!muted)
            return;
        QMetaObject::invokeMethod(this, [this, keys = muted.value()] {
            for (const QString &key : keys)
                m_notifier.setMuted(key, true);
        });
    });
}

void SessionController::openConversation(const QString &key, const QString &title)
{
    m_chat.open(key, title);
    m_details.show(key, title);
    m_notifier.setOpenKey(key);
    m_conversations.setCurrentKey(key);
    Q_EMIT conversationOpened(key);
}

void SessionController::onEngineStatus(Engine::Status s)
{
    switch (s) {
    case Engine::Status::Closed:
        setPhase(Phase::Locked);
        break;
    case Engine::Status::SignedOut:
        setPhase(Phase::SignedOut);
        break;
    case Engine::Status::Connecting:
        setPhase(Phase::Connecting);
        break;
    case Engine::Status::SigningIn:
        setPhase(Phase::SigningIn);
        break;
    case Engine::Status::Syncing:
        setPhase(Phase::Syncing);
        break;
    case Engine::Status::Online:
        setPhase(Phase::Online);
        break;
    }
}

} // namespace chattermesh::qml

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QTimer>

namespace chattermesh::qml {

class EngineThread;

// Keeps the composer's text per conversation in the encrypted store, so a half-written message
// survives switching chats and restarting the app. Edits are written a moment after typing pauses
// (not per keystroke), and at once when another conversation is opened or the app quits.
class DraftKeeper : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SessionController.drafts")
public:
    explicit DraftKeeper(QObject *parent = nullptr);
    void attach(EngineThread *engine) { m_engine = engine; }

    // `key`: a peer's name or "#<group server id>", as ChatModel names conversations.
    Q_INVOKABLE void edit(const QString &key, const QString &text);
    // Answered by loaded(key, text); any pending edit is written first.
    Q_INVOKABLE void load(const QString &key);
    // The message was sent: no draft is left.
    Q_INVOKABLE void clear(const QString &key);
    void flush();

Q_SIGNALS:
    void loaded(const QString &key, const QString &text);
    void saved(); // a draft changed in the store (the conversation list shows drafts)

private:
    void write(const QString &key, const QString &text);

    EngineThread *m_engine = nullptr;
    QTimer m_idle;
    QString m_pendingKey;
    QString m_pendingText;
    bool m_pending = false;
};

} // namespace chattermesh::qml

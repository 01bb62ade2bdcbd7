// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MessageTypes.h"
#include "PresenceBook.h"

#include <QAbstractListModel>
#include <QQmlEngine>
#include <QSet>
#include <QTimer>

namespace chattermesh::core {
class Engine;
}

namespace chattermesh::qml {

class EngineThread;

// One row per conversation, most recent activity first: what the list shows (title, preview, time,
// unread count, presence dot, "typing…"). Every read runs on the engine's thread; the rows come
// back in one queued snapshot, so the GUI thread never runs SQL. Engine signals mark the list
// stale, and one refresh per event-loop turn follows however many arrived.
class ConversationListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by SessionController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int unreadTotal READ unreadTotal NOTIFY unreadTotalChanged)
    Q_PROPERTY(QString currentKey READ currentKey WRITE setCurrentKey NOTIFY currentKeyChanged)
public:
    enum Role {
        KeyRole = Qt::UserRole + 1, // the peer's name, or "#<group server id>"
        TitleRole,
        PreviewRole,
        TimeRole, // ms since the epoch of the last activity
        UnreadRole,
        GroupRole,
        OnlineRole,
        TypingRole, // "typing…" text, empty when nobody types
        CurrentRole, // the open conversation
        DraftRole, // unsent text kept for it, "" when none
        MutedRole,
    };

    struct Row {
        core::ConversationInfo info;
        QString preview;
        core::PresenceState presence;
        QStringList typists;
        QString draft;
        bool muted = false;
    };

    explicit ConversationListModel(QObject *parent = nullptr);

    void attach(EngineThread *engine);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int unreadTotal() const { return m_unreadTotal; }
    Q_INVOKABLE int indexOfKey(const QString &key) const;
    void retranslate(); // the language changed: titles and "typing…" are made again
    Q_INVOKABLE QString keyAt(int row) const;
    Q_INVOKABLE QString titleAt(int row) const;
    QString currentKey() const { return m_currentKey; }
    void setCurrentKey(const QString &key);
    // Reads every row again (a draft or the muted set changed); coalesced like live changes.
    void refresh();

    static QString keyOf(const core::ConversationInfo &c);
    // On the engine's thread: the text, a caption or file name, or "Voice note (0:12)".
    static QString previewOf(core::Engine *e, const core::StoredMessage &m);
    // The typing line for a list row or a chat header: "typing…", "ann is typing…", "2 people…".
    static QString typingText(const QStringList &typists, bool group);

Q_SIGNALS:
    void countChanged();
    void unreadTotalChanged();
    void currentKeyChanged();

private:
    void apply(const QList<Row> &rows);

    EngineThread *m_engine = nullptr;
    QList<Row> m_rows;
    int m_unreadTotal = 0;
    QTimer m_stale;
    bool m_loading = false;
    QSet<QString> m_askedPresence;
    QString m_currentKey;
};

} // namespace chattermesh::qml

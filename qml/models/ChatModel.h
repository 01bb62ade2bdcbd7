// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MediaView.h"
#include "MessageTypes.h"
#include "PresenceBook.h"

#include <QAbstractListModel>
#include <QDate>
#include <QQmlEngine>
#include <QSet>
#include <QUrl>
#include <deque>

namespace chattermesh::qml {

class EngineThread;

// The open conversation: its messages oldest first, one page at a time (fetchMore() reads the
// page before the first row), kept live from the engine's signals; the peer's typing and
// presence; sending and the composer. Reads and writes run on the engine's thread.
class ChatModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by SessionController")
    Q_PROPERTY(QString key READ key NOTIFY conversationChanged)
    Q_PROPERTY(QString title READ title NOTIFY conversationChanged)
    Q_PROPERTY(bool group READ group NOTIFY conversationChanged)
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingChanged)
    Q_PROPERTY(QString presenceText READ presenceText NOTIFY presenceChanged)
    Q_PROPERTY(bool peerOnline READ peerOnline NOTIFY presenceChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool atStart READ atStart NOTIFY loadingChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    static constexpr int kPage = 50;

    enum Role {
        BodyRole = Qt::UserRole + 1,
        OutgoingRole,
        SenderRole,
        DeliveryRole, // "pending", "sent", "delivered", "read", "failed", "received"
        TimeRole, // ms since the epoch: the server's time, else the composing time
        KindRole, // "text", "media", "notice", "undecryptable"
        FirstOfDayRole, // a day separator goes above it
        FirstOfRunRole, // the sender changed: the name (groups) and a gap go above it
        ErrorRole,
        GroupChatRole, // the conversation is a group: names go above runs of others' bubbles
        LocalIdRole,
        DayTextRole, // "Today", "Yesterday" or the date, in the current language
        // Attachments (kind "media"); empty or 0 for other rows.
        MediaKindRole, // "image", "video", "voice", "file"
        MediaNameRole,
        MediaSizeRole,
        MediaWidthRole, // as displayed
        MediaHeightRole,
        DurationRole, // ms
        ThumbnailRole, // an image:// URL of the small preview that came with the message
        FullImageRole, // an image:// URL of the picture itself once it is here, else ""
        TransferRole, // "", "preparing", "uploading", "downloading", "paused", "failed", "done", "cancelled"
        ProgressRole, // 0..1 of the bytes moved
    };

    explicit ChatModel(QObject *parent = nullptr);

    void attach(EngineThread *engine);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // `key`: a peer's name, or "#<group server id>"; "" closes.
    Q_INVOKABLE void open(const QString &key, const QString &title = {});
    // Reads the page before the first row. Not QAbstractItemModel::fetchMore(): views call that
    // when they reach the *end*, and here the older rows are at the top.
    Q_INVOKABLE void loadOlder();
    Q_INVOKABLE void send(const QString &text);
    // An attachment from a file the user picked (a file: URL); its kind is found from the content.
    Q_INVOKABLE void sendFile(const QUrl &file, const QString &caption = {});
    // A note recorded at Engine::newRecordingPath(); the engine removes the file once it is sealed.
    void sendVoiceNote(const QString &path);
    Q_INVOKABLE void composerChanged(const QString &text);
    // The newest message is on screen: it and everything before it count as read.
    Q_INVOKABLE void markAllRead();
    Q_INVOKABLE QString dayText(qint64 ms) const;
    // The language changed: every text this model makes is made again.
    void retranslate();
    Q_INVOKABLE QString timeText(qint64 ms) const;
    // For the conversation list: the time today, "Yesterday", else the date.
    Q_INVOKABLE QString whenText(qint64 ms) const;
    // Attachments: fetch (and check) a received one; retry a failed or paused transfer; cancel.
    Q_INVOKABLE void download(qint64 localId);
    Q_INVOKABLE void retryTransfer(qint64 localId);
    Q_INVOKABLE void cancelTransfer(qint64 localId);
    // Who has a message of mine, and who read it (groups: per member); answered by receiptsReady.
    Q_INVOKABLE void requestReceipts(qint64 localId);
    static QString shortTime(QTime t);

    QString key() const { return m_key; }
    QString title() const { return m_title; }
    bool group() const { return m_group > 0; }
    QString typingText() const;
    QString presenceText() const;
    bool peerOnline() const { return m_presence.online; }
    bool loading() const { return m_loading; }
    bool atStart() const { return m_atStart; }

Q_SIGNALS:
    void conversationChanged();
    void typingChanged();
    void presenceChanged();
    void loadingChanged();
    void countChanged();
    void sendFailed(const QString &why);
    // [{ user, delivered, read }]: the times as text, "" while not yet.
    void receiptsReady(qint64 localId, const QVariantList &receipts);

private:
    bool mine(const core::StoredMessage &m) const;
    void load(qint64 beforeSeq);
    void onPage(quint64 generation, qint64 beforeSeq, const QList<core::StoredMessage> &page,
        const QList<QDate> &days, const QHash<qint64, MediaView> &media);
    void readMedia(qint64 localId);
    void sendMedia(const QString &path, const QString &caption, bool voiceNote);
    void onTransfer(qint64 localId, const std::function<void(MediaView &)> &change);
    void onAdded(const core::StoredMessage &m);
    void onStateChanged(const core::StateChange &c);
    void readPresence();
    int rowOfLocalId(qint64 localId) const;
    void prepend(const QList<core::StoredMessage> &older, const QList<QDate> &days);
    QString textOfDay(QDate day) const;
    QVariant mediaData(qint64 localId, int role) const;

    EngineThread *m_engine = nullptr;
    // A deque, not a QList: a QList that runs out of room at its front copies every row it holds
    // (52 ms at 56,000 rows, inside endInsertRows() on the GUI thread); a deque never moves them.
    std::deque<core::StoredMessage> m_rows;
    // The local day of each row, index for index: every delegate bound asks for the day roles,
    // which compare a row's day with the row before, and converting to local time costs several
    // microseconds (glibc checks the zone file on each call when TZ is unset).
    std::deque<QDate> m_days;
    QHash<qint64, MediaView> m_media; // by local id, for the rows of kind Media
    QSet<qint64> m_ids; // the local ids in m_rows
    QString m_key;
    QString m_title;
    QString m_peer;
    qint64 m_group = 0; // server id
    qint64 m_serverId = 0; // the conversation's server id, once known (typing, read markers)
    quint64 m_generation = 0; // bumped by open(): pages of an earlier conversation are dropped
    bool m_loading = false;
    bool m_atStart = false;
    QStringList m_typists;
    core::PresenceState m_presence;
};

} // namespace chattermesh::qml

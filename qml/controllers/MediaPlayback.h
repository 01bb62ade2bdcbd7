// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QBuffer>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <memory>

class QAudioOutput;
class QMediaPlayer;

namespace chattermesh::qml {

class SessionController;

// Plays one received (or sent) video or voice note in a bubble. The attachment is decrypted on the
// engine's thread into memory and played from there, so neither decryption nor file reads happen
// on the GUI thread. Voice notes are small; a video up to the server's 100 MiB limit is held in
// memory while it plays (streaming from the decrypting reader needs a reader that fetches off the
// GUI thread: docs/ui.md, *Missing*).
class MediaPlayback : public QObject {
    Q_OBJECT
    QML_ELEMENT
    // Whose engine decrypts the attachment (QML: `session: SessionController`).
    Q_PROPERTY(chattermesh::qml::SessionController *session MEMBER m_session NOTIFY sessionChanged)
    Q_PROPERTY(double localId READ localId WRITE setLocalId NOTIFY localIdChanged)
    // The attachment's file name: its suffix tells the media backend what container to expect.
    Q_PROPERTY(QString fileName MEMBER m_fileName NOTIFY fileNameChanged)
    // A VideoOutput item for videos; none for voice notes.
    Q_PROPERTY(QObject *videoOutput READ videoOutput WRITE setVideoOutput NOTIFY videoOutputChanged)
    // "idle", "loading", "playing", "paused", "finished", "failed"
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    Q_PROPERTY(double position READ position NOTIFY positionChanged)
    Q_PROPERTY(double duration READ duration NOTIFY durationChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY stateChanged)
public:
    explicit MediaPlayback(QObject *parent = nullptr);
    ~MediaPlayback() override;

    double localId() const { return double(m_localId); }
    void setLocalId(double id);
    QObject *videoOutput() const { return m_videoOutput; }
    void setVideoOutput(QObject *output);
    QString state() const { return m_state; }
    double position() const;
    double duration() const;
    QString errorText() const { return m_error; }

    // Play, pause, or play again from the start once finished.
    Q_INVOKABLE void toggle();
    Q_INVOKABLE void stop();

Q_SIGNALS:
    void sessionChanged();
    void localIdChanged();
    void fileNameChanged();
    void videoOutputChanged();
    void stateChanged();
    void positionChanged();
    void durationChanged();

private:
    void load();
    void releaseSource();
    void onLoaded(const QByteArray &bytes, const QString &error);
    void setState(const QString &state, const QString &error = {});
    QMediaPlayer *player();

    QPointer<SessionController> m_session;
    qint64 m_localId = 0;
    QString m_fileName;
    QPointer<QObject> m_videoOutput;
    QString m_state = QStringLiteral("idle");
    QString m_error;
    quint64 m_generation = 0;
    QMediaPlayer *m_player = nullptr;
    QAudioOutput *m_audio = nullptr;
    std::unique_ptr<QBuffer> m_buffer;
};

} // namespace chattermesh::qml

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace chattermesh::media {
class VoiceNoteRecorder;
enum class MediaError; // core/media's, not core's of the same name
} // namespace chattermesh::media

namespace chattermesh::qml {

class SessionController;

// The composer's voice-note button: records from the default microphone into the engine's
// recordings folder, then sends the note to the open conversation. Recording is Qt Multimedia's
// (its pipeline runs on its own threads); the path comes from the engine's thread and the send goes
// there, so the GUI thread only starts and stops. Opening another conversation cancels a
// recording, and a cancelled note leaves no file.
class VoiceRecorder : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(
        chattermesh::qml::SessionController *session READ session WRITE setSession NOTIFY sessionChanged)
    // "idle", "starting", "recording", "sending"
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    Q_PROPERTY(double durationMs READ durationMs NOTIFY durationChanged)
    // Why the last recording did not start or ended without a note; cleared by the next start().
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
public:
    // Longer notes stop by themselves and are sent: 15 minutes of Opus stay well inside the
    // server's 10 MiB voice limit.
    static constexpr qint64 kMaxDurationMs = 15 * 60 * 1000;

    explicit VoiceRecorder(QObject *parent = nullptr);
    ~VoiceRecorder() override;

    SessionController *session() const { return m_session; }
    void setSession(SessionController *session);
    QString state() const { return m_state; }
    double durationMs() const { return double(m_durationMs); }
    QString errorText() const { return m_error; }

    Q_INVOKABLE void start();
    // Stops and sends what was recorded.
    Q_INVOKABLE void send();
    Q_INVOKABLE void cancel();

Q_SIGNALS:
    void sessionChanged();
    void stateChanged();
    void durationChanged();
    void errorTextChanged();

private:
    void begin(const QString &path, media::MediaError noPathBecause);
    void onFinished(const QString &path);
    void onFailed(media::MediaError error, const QString &message);
    void onDuration(qint64 durationMs);
    void setState(const QString &state);
    void setError(const QString &error);
    static QString describe(media::MediaError error);

    QPointer<SessionController> m_session;
    media::VoiceNoteRecorder *m_recorder = nullptr;
    QString m_state = QStringLiteral("idle");
    QString m_error;
    QString m_conversation; // the chat it was started in: only that one gets the note
    qint64 m_durationMs = 0;
    quint64 m_generation = 0; // a path that arrives after cancel() is not recorded into
};

} // namespace chattermesh::qml

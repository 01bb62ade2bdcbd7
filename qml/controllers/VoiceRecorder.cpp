// SPDX-License-Identifier: GPL-3.0-or-later
#include "VoiceRecorder.h"

#include "ChatModel.h"
#include "Engine.h"
#include "MediaLog.h"
#include "SessionController.h"
#include "VoiceNoteRecorder.h"
#include "media/MediaError.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace chattermesh::qml {

VoiceRecorder::VoiceRecorder(QObject *parent) : QObject(parent)
{
    m_recorder = new media::VoiceNoteRecorder(this);
    connect(m_recorder, &media::VoiceNoteRecorder::finished, this,
        [this](const QString &path, qint64) { onFinished(path); });
    connect(m_recorder, &media::VoiceNoteRecorder::failed, this, &VoiceRecorder::onFailed);
    connect(m_recorder, &media::VoiceNoteRecorder::durationChanged, this, &VoiceRecorder::onDuration);
}

VoiceRecorder::~VoiceRecorder()
{
    m_recorder->cancel();
}

void VoiceRecorder::setSession(SessionController *session)
{
    if (session == m_session)
        return;
    if (m_session)
        disconnect(m_session->chat(), nullptr, this, nullptr);
    cancel();
    m_session = session;
    if (m_session) {
        connect(m_session->chat(), &ChatModel::conversationChanged, this, [this] {
            if (m_session && m_session->chat()->key() != m_conversation)
                cancel();
        });
    }
    Q_EMIT sessionChanged();
}

void VoiceRecorder::start()
{
    if (m_state != u"idle" || !m_session || m_session->chat()->key().isEmpty())
        return;
    setError(QString());
    m_conversation = m_session->chat()->key();
    m_durationMs = 0;
    Q_EMIT durationChanged();
    setState(u"starting"_s);
    const quint64 generation = ++m_generation;
    QPointer<VoiceRecorder> self(this);
    // Off the GUI thread: the first question about formats loads the GStreamer registry.
    m_session->postToEngine([self, generation](core::Engine *e) {
        const auto format = media::VoiceNoteRecorder::preferredFormat();
        const QString path
            = format ? e->newRecordingPath(media::VoiceNoteRecorder::suffixFor(*format)) : QString();
        const auto error
            = format ? media::MediaError::OutputUnwritable : media::MediaError::FormatUnavailable;
        QMetaObject::invokeMethod(self.get(), [self, generation, path, error] {
            if (self && generation == self->m_generation)
                self->begin(path, error);
        });
    });
}

void VoiceRecorder::begin(const QString &path, media::MediaError noPathBecause)
{
    if (path.isEmpty()) {
        setState(u"idle"_s);
        setError(describe(noPathBecause));
        return;
    }
    auto started = m_recorder->start(path);
    if (!started) {
        setState(u"idle"_s);
        setError(describe(started.error().code));
        return;
    }
    setState(u"recording"_s);
}

void VoiceRecorder::send()
{
    if (m_state == u"starting") {
        cancel(); // nothing recorded yet: nothing to send
        return;
    }
    if (m_state != u"recording")
        return;
    setState(u"sending"_s);
    m_recorder->stop(); // finished() or failed() follows once the file is complete
}

void VoiceRecorder::cancel()
{
    ++m_generation;
    m_recorder->cancel();
    m_conversation.clear();
    setState(u"idle"_s);
}

void VoiceRecorder::onFinished(const QString &path)
{
    setState(u"idle"_s);
    if (!m_session || m_session->chat()->key() != m_conversation) {
        QFile::remove(path); // not ours to send any more; the engine would sweep it at its next start
        return;
    }
    m_conversation.clear();
    m_session->chat()->sendVoiceNote(path);
}

void VoiceRecorder::onFailed(media::MediaError error, const QString &message)
{
    qCDebug(media::lcMedia) << "voice note failed:" << message;
    m_conversation.clear();
    setState(u"idle"_s);
    setError(describe(error));
}

void VoiceRecorder::onDuration(qint64 durationMs)
{
    m_durationMs = durationMs;
    Q_EMIT durationChanged();
    if (durationMs >= kMaxDurationMs)
        send();
}

void VoiceRecorder::setState(const QString &state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged();
}

void VoiceRecorder::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorTextChanged();
}

QString VoiceRecorder::describe(media::MediaError error)
{
    switch (error) {
    case media::MediaError::NoAudioInput:
        return tr("No microphone was found.");
    case media::MediaError::FormatUnavailable:
        return tr("Voice notes cannot be recorded here: no Opus or Vorbis encoder is installed.");
    case media::MediaError::OutputUnwritable:
        return tr("The voice note could not be saved.");
    default:
        return tr("The recording stopped unexpectedly.");
    }
}

} // namespace chattermesh::qml

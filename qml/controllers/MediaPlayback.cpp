// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaPlayback.h"

#include "SessionController.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QMediaDevices>
#include <QMediaPlayer>

using namespace Qt::StringLiterals;

namespace chattermesh::qml {

MediaPlayback::MediaPlayback(QObject *parent) : QObject(parent) { }

MediaPlayback::~MediaPlayback()
{
    // The player reads the buffer from its own threads: it goes first, then the bytes.
    delete m_player;
    m_player = nullptr;
    m_buffer.reset();
}

void MediaPlayback::releaseSource()
{
    if (m_player) {
        m_player->stop();
        m_player->setSource(QUrl());
    }
    m_buffer.reset();
}

void MediaPlayback::setLocalId(double id)
{
    if (qint64(id) == m_localId)
        return;
    stop();
    releaseSource();
    m_localId = qint64(id);
    Q_EMIT localIdChanged();
}

void MediaPlayback::setVideoOutput(QObject *output)
{
    if (output == m_videoOutput)
        return;
    m_videoOutput = output;
    if (m_player)
        m_player->setVideoOutput(output);
    Q_EMIT videoOutputChanged();
}

double MediaPlayback::position() const
{
    return m_player ? double(m_player->position()) : 0;
}

double MediaPlayback::duration() const
{
    return m_player ? double(m_player->duration()) : 0;
}

QMediaPlayer *MediaPlayback::player()
{
    if (m_player)
        return m_player;
    m_player = new QMediaPlayer(this);
    // Without a sound device (a server, CI) an audio output stalls the pipeline before the first
    // frame: pictures still play, silently.
    if (!QMediaDevices::audioOutputs().isEmpty()) {
        m_audio = new QAudioOutput(this);
        m_player->setAudioOutput(m_audio);
    }
    if (m_videoOutput)
        m_player->setVideoOutput(m_videoOutput);
    connect(m_player, &QMediaPlayer::positionChanged, this, &MediaPlayback::positionChanged);
    connect(m_player, &QMediaPlayer::durationChanged, this, &MediaPlayback::durationChanged);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState s) {
        if (s == QMediaPlayer::PlayingState)
            setState(u"playing"_s);
        else if (s == QMediaPlayer::PausedState)
            setState(u"paused"_s);
    });
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, [this](QMediaPlayer::MediaStatus s) {
        if (s == QMediaPlayer::EndOfMedia)
            setState(u"finished"_s);
        else if (s == QMediaPlayer::InvalidMedia)
            setState(u"failed"_s, tr("This attachment cannot be played here."));
    });
    connect(m_player, &QMediaPlayer::errorOccurred, this,
        [this](QMediaPlayer::Error, const QString &message) { setState(u"failed"_s, message); });
    return m_player;
}

void MediaPlayback::toggle()
{
    if (m_state == u"playing") {
        player()->pause();
        return;
    }
    if (m_state == u"paused") {
        player()->play();
        return;
    }
    if (m_state == u"finished" && m_buffer) {
        player()->setPosition(0);
        player()->play();
        return;
    }
    if (m_state != u"loading")
        load();
}

void MediaPlayback::stop()
{
    ++m_generation; // a decryption still running is for nothing now
    if (m_player)
        m_player->stop();
    if (m_state != u"idle")
        setState(u"idle"_s);
}

void MediaPlayback::load()
{
    SessionController *session = m_session;
    if (m_localId <= 0 || !session) {
        setState(u"failed"_s, tr("Nothing to play."));
        return;
    }
    if (m_buffer) {
        player()->setPosition(0);
        player()->play();
        return;
    }
    setState(u"loading"_s);
    const quint64 generation = ++m_generation;
    QPointer<MediaPlayback> self(this);
    session->postToEngine([self, generation, id = m_localId](core::Engine *e) {
        auto bytes = e->readMedia(id);
        const QByteArray data = bytes ? bytes.value() : QByteArray();
        const QString error = bytes ? QString() : bytes.error().message;
        QMetaObject::invokeMethod(self.get(), [self, generation, data, error] {
            if (self && generation == self->m_generation)
                self->onLoaded(data, error);
        });
    });
}

void MediaPlayback::onLoaded(const QByteArray &bytes, const QString &error)
{
    if (!error.isEmpty() || bytes.isEmpty()) {
        setState(u"failed"_s, error.isEmpty() ? tr("The attachment is not here yet.") : error);
        return;
    }
    m_buffer = std::make_unique<QBuffer>();
    m_buffer->setData(bytes);
    m_buffer->open(QIODevice::ReadOnly);
    player()->setSourceDevice(m_buffer.get(), QUrl(m_fileName.isEmpty() ? u"attachment"_s : m_fileName));
    player()->play();
}

void MediaPlayback::setState(const QString &state, const QString &error)
{
    if (state == m_state && error == m_error)
        return;
    m_state = state;
    m_error = error;
    Q_EMIT stateChanged();
}

} // namespace chattermesh::qml

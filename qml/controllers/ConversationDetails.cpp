// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConversationDetails.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace chattermesh::qml {

using core::Engine;

struct ConversationDetails::Snapshot {
    QString safetyNumber;
    bool verified = false;
    bool blocked = false;
    bool muted = false;
    QString title;
    QVariantList members;
    bool amAdmin = false;
    bool isMember = false;
    bool onlyAdminsSend = false;
};

namespace {

QString roleName(proto::Role role)
{
    switch (role) {
    case proto::OWNER:
        return u"owner"_s;
    case proto::ADMIN:
        return u"admin"_s;
    default:
        return u"member"_s;
    }
}

// "12345 67890 …": how people read the number to each other.
QString grouped(const QString &digits)
{
    QString out;
    for (qsizetype i = 0; i < digits.size(); i += 5) {
        if (!out.isEmpty())
            out += (i % 20 == 0) ? u'\n' : u' ';
        out += digits.mid(i, 5);
    }
    return out;
}

} // namespace

ConversationDetails::ConversationDetails(QObject *parent) : QObject(parent) { }

void ConversationDetails::attach(EngineThread *engine)
{
    m_engine = engine;
    Engine *e = engine->engine();
    connect(e, &Engine::identityChanged, this, [this](const QString &peer) {
        if (peer == m_key)
            reload();
    });
    connect(e, &Engine::groupChanged, this,
        [this](quint64 requestId, qint64 conversation) { onGroupAnswer(requestId, conversation, {}); });
    connect(e, &Engine::groupRequestFailed, this,
        [this](quint64 requestId, proto::ErrorCode, const QString &message) {
            onGroupAnswer(requestId, 0, message);
        });
    // A group's membership changes arrive as system events in its history.
    connect(e, &Engine::messageAdded, this, [this](const core::StoredMessage &m) {
        if (m.kind == core::MessageKind::GroupEvent && group() && m.conversationServerId == groupId())
            reload();
    });
}

void ConversationDetails::show(const QString &key, const QString &title)
{
    if (key == m_key && m_loaded)
        return;
    m_key = key;
    m_title = title;
    m_loaded = false;
    m_safetyNumber.clear();
    m_members.clear();
    m_error.clear();
    Q_EMIT changed();
    Q_EMIT membersChanged();
    reload();
}

void ConversationDetails::reload()
{
    const quint64 generation = ++m_generation;
    if (m_key.isEmpty() || !m_engine || !m_engine->engine())
        return;
    QPointer<ConversationDetails> self(this);
    m_engine->post([e = m_engine->engine(), self, generation, key = m_key, group = groupId()] {
        Snapshot s;
        if (auto muted = e->mutedConversations())
            s.muted = muted.value().contains(key);
        if (group > 0) {
            if (auto g = e->group(group)) {
                s.title = g->title;
                s.isMember = g->isMember;
                s.onlyAdminsSend = g->onlyAdminsSend;
                for (const core::GroupMember &m : std::as_const(g->members)) {
                    const bool me = m.username == e->username();
                    if (me)
                        s.amAdmin = m.role == proto::ADMIN || m.role == proto::OWNER;
                    s.members.append(QVariantMap {
                        { u"name"_s, m.username }, { u"role"_s, roleName(m.role) }, { u"me"_s, me } });
                }
            }
        } else {
            // 5200 SHA-512 rounds: here, never on the GUI thread.
            if (auto n = e->safetyNumber(key))
                s.safetyNumber = grouped(n.value().digits);
            s.verified = e->isVerified(key);
            s.blocked = e->isBlocked(key);
        }
        QMetaObject::invokeMethod(self.get(), [self, generation, s] {
            if (self)
                self->apply(generation, s);
        });
    });
}

void ConversationDetails::apply(quint64 generation, const Snapshot &s)
{
    if (generation != m_generation)
        return; // another conversation, or a newer read, took its place
    m_loaded = true;
    m_safetyNumber = s.safetyNumber;
    m_verified = s.verified;
    m_blocked = s.blocked;
    m_muted = s.muted;
    if (!s.title.isEmpty())
        m_title = s.title;
    if (s.members != m_members) {
        m_members = s.members;
        Q_EMIT membersChanged();
    }
    m_amAdmin = s.amAdmin;
    m_isMember = s.isMember;
    m_onlyAdminsSend = s.onlyAdminsSend;
    Q_EMIT changed();
}

void ConversationDetails::setVerified(bool verified)
{
    if (group() || m_key.isEmpty())
        return;
    QPointer<ConversationDetails> self(this);
    m_engine->post([e = m_engine->engine(), self, peer = m_key, verified] {
        e->setVerified(peer, verified);
        QMetaObject::invokeMethod(self.get(), [self] {
            if (self)
                self->reload();
        });
    });
}

void ConversationDetails::acceptNewIdentity()
{
    if (group() || m_key.isEmpty())
        return;
    QPointer<ConversationDetails> self(this);
    m_engine->post([e = m_engine->engine(), self, peer = m_key] {
        e->acceptIdentity(peer);
        QMetaObject::invokeMethod(self.get(), [self] {
            if (self)
                self->reload();
        });
    });
}

void ConversationDetails::setMuted(bool muted)
{
    if (m_key.isEmpty())
        return;
    m_muted = muted;
    // The write is queued first: whoever reacts to mutedChanged by reading the store (the
    // conversation list) then reads it after the write, not before.
    m_engine->post([e = m_engine->engine(), key = m_key, muted] {
        const auto r = e->setMuted(key, muted);
        if (!r)
            qWarning() << "could not keep the muted setting:" << r.error().message;
    });
    Q_EMIT changed();
    Q_EMIT mutedChanged(m_key, muted);
}

void ConversationDetails::request(const std::function<quint64(Engine *)> &send, bool creates)
{
    if (m_request != 0 || !m_engine || !m_engine->engine())
        return;
    m_request = ~quint64(0); // busy until the engine says which request it is
    m_requestCreates = creates;
    m_error.clear();
    Q_EMIT busyChanged();
    QPointer<ConversationDetails> self(this);
    m_engine->post([e = m_engine->engine(), self, send] {
        const quint64 id = send(e);
        // Queued before the engine's answer to it, which comes from this thread later.
        QMetaObject::invokeMethod(self.get(), [self, id] {
            if (!self)
                return;
            self->m_request = id;
            if (id == 0) { // refused before it was sent (not signed in)
                self->m_error = tr("Not connected. Try again when online.");
                Q_EMIT self->busyChanged();
            }
        });
    });
}

void ConversationDetails::onGroupAnswer(quint64 requestId, qint64 conversation, const QString &error)
{
    if (requestId == 0 || requestId != m_request)
        return;
    m_request = 0;
    m_error = error;
    Q_EMIT busyChanged();
    if (!error.isEmpty())
        return;
    if (m_requestCreates)
        Q_EMIT groupCreated(u"#"_s + QString::number(conversation), m_createTitle);
    else
        reload();
}

void ConversationDetails::rename(const QString &title)
{
    const QString t = title.trimmed();
    if (t.isEmpty() || t == m_title)
        return;
    request([g = groupId(), t](Engine *e) { return e->renameGroup(g, t); });
}

void ConversationDetails::addMember(const QString &user)
{
    const QString u = user.trimmed();
    if (!u.isEmpty())
        request([g = groupId(), u](Engine *e) { return e->addMembers(g, { u }); });
}

void ConversationDetails::removeMember(const QString &user)
{
    request([g = groupId(), user](Engine *e) { return e->removeMembers(g, { user }); });
}

void ConversationDetails::setAdmin(const QString &user, bool admin)
{
    request([g = groupId(), user, admin](Engine *e) { return e->setAdmin(g, user, admin); });
}

void ConversationDetails::setOnlyAdminsSend(bool only)
{
    request([g = groupId(), only](Engine *e) { return e->setOnlyAdminsSend(g, only); });
}

void ConversationDetails::leave()
{
    request([g = groupId()](Engine *e) { return e->leaveGroup(g); });
}

void ConversationDetails::createGroup(const QString &title, const QStringList &members)
{
    const QString t = title.trimmed();
    QStringList people;
    for (const QString &m : members)
        if (!m.trimmed().isEmpty())
            people.append(m.trimmed());
    if (t.isEmpty() || people.isEmpty()) {
        m_error = tr("A group needs a name and at least one other member.");
        Q_EMIT busyChanged();
        return;
    }
    m_createTitle = t;
    request([t, people](Engine *e) { return e->createGroup(t, people); }, true);
}

} // namespace chattermesh::qml

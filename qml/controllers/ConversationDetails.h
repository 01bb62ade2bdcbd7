// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineThread.h"

#include <QObject>
#include <QQmlEngine>
#include <QVariantList>
#include <functional>

namespace chattermesh::qml {

class EngineThread;

// What the contact-info and group-info screens show about the open conversation, and what they can
// change: the safety number and verification of a contact (and whether their keys changed), the
// members and roles of a group and the admin actions. Reads happen on the engine thread; every
// change comes back as a reload.
class ConversationDetails : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SessionController.details")
    Q_PROPERTY(QString key READ key NOTIFY changed)
    Q_PROPERTY(bool group READ group NOTIFY changed)
    Q_PROPERTY(QString title READ title NOTIFY changed)
    Q_PROPERTY(bool loaded READ loaded NOTIFY changed)
    // Contacts: 60 digits in groups of five, the same on both phones.
    Q_PROPERTY(QString safetyNumber READ safetyNumber NOTIFY changed)
    Q_PROPERTY(bool verified READ verified NOTIFY changed)
    // Their keys changed after I verified them: nothing is sent to them until I accept.
    Q_PROPERTY(bool identityChanged READ identityChanged NOTIFY changed)
    Q_PROPERTY(bool muted READ muted NOTIFY changed)
    // Groups: [{ name, role: "owner"|"admin"|"member", me }]
    Q_PROPERTY(QVariantList members READ members NOTIFY membersChanged)
    Q_PROPERTY(bool amAdmin READ amAdmin NOTIFY changed)
    Q_PROPERTY(bool isMember READ isMember NOTIFY changed)
    Q_PROPERTY(bool onlyAdminsSend READ onlyAdminsSend NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY busyChanged)
public:
    explicit ConversationDetails(QObject *parent = nullptr);
    void attach(EngineThread *engine);

    // `key`: a peer's name or "#<group server id>"; "" clears.
    void show(const QString &key, const QString &title);
    Q_INVOKABLE void reload();

    Q_INVOKABLE void setVerified(bool verified);
    Q_INVOKABLE void acceptNewIdentity();
    Q_INVOKABLE void setMuted(bool muted);
    Q_INVOKABLE void rename(const QString &title);
    Q_INVOKABLE void addMember(const QString &user);
    Q_INVOKABLE void removeMember(const QString &user);
    Q_INVOKABLE void setAdmin(const QString &user, bool admin);
    Q_INVOKABLE void setOnlyAdminsSend(bool only);
    Q_INVOKABLE void leave();
    // For "New group": answered by groupCreated or by errorText.
    Q_INVOKABLE void createGroup(const QString &title, const QStringList &members);

    QString key() const { return m_key; }
    bool group() const { return m_key.startsWith(u'#'); }
    QString title() const { return m_title; }
    bool loaded() const { return m_loaded; }
    QString safetyNumber() const { return m_safetyNumber; }
    bool verified() const { return m_verified; }
    bool identityChanged() const { return m_blocked; }
    bool muted() const { return m_muted; }
    QVariantList members() const { return m_members; }
    bool amAdmin() const { return m_amAdmin; }
    bool isMember() const { return m_isMember; }
    bool onlyAdminsSend() const { return m_onlyAdminsSend; }
    bool busy() const { return m_request != 0; }
    QString errorText() const { return m_error; }

Q_SIGNALS:
    void changed();
    void busyChanged();
    // Only when the members or their roles differ: the list is not rebuilt under the user's finger.
    void membersChanged();
    void groupCreated(const QString &key, const QString &title);
    // Muting changed: the conversation list shows the mark, notifications check it.
    void mutedChanged(const QString &key, bool muted);

private:
    struct Snapshot;
    void apply(quint64 generation, const Snapshot &s);
    // Runs a group request on the engine thread; its answer ends busy.
    void request(const std::function<quint64(core::Engine *)> &send, bool creates = false);
    void onGroupAnswer(quint64 requestId, qint64 conversation, const QString &error);
    qint64 groupId() const { return group() ? m_key.mid(1).toLongLong() : 0; }

    EngineThread *m_engine = nullptr;
    QString m_key;
    QString m_title;
    quint64 m_generation = 0;
    bool m_loaded = false;
    QString m_safetyNumber;
    bool m_verified = false;
    bool m_blocked = false;
    bool m_muted = false;
    QVariantList m_members;
    bool m_amAdmin = false;
    bool m_isMember = false;
    bool m_onlyAdminsSend = false;
    quint64 m_request = 0; // the group request in flight, 0: none
    bool m_requestCreates = false;
    QString m_createTitle;
    QString m_error;
};

} // namespace chattermesh::qml

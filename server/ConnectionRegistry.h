// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>

namespace chattermesh::server {

class ClientConnection;

// Every open connection, and which one speaks for each authenticated device (at most one).
class ConnectionRegistry {
public:
    void add(ClientConnection *connection);
    void remove(ClientConnection *connection);

    // Makes connection the one for its device; returns the connection it replaces, if any.
    ClientConnection *bindDevice(ClientConnection *connection);
    ClientConnection *forDevice(quint64 deviceId) const { return m_byDevice.value(deviceId); }

    QList<ClientConnection *> all() const { return m_all; }
    // By connection id (the network threads name sockets by it).
    ClientConnection *forId(quint64 id) const { return m_byId.value(id); }
    qsizetype size() const { return m_all.size(); }

    // Authenticated connections per user: a user is online while it has at least one. Each returns
    // how many the user has afterwards; removeUser returns -1 if the connection was not counted.
    int addUser(ClientConnection *connection);
    int removeUser(ClientConnection *connection);
    QList<ClientConnection *> forUser(quint64 userId) const { return m_byUser.value(userId); }
    bool isOnline(quint64 userId) const { return m_byUser.contains(userId); }

private:
    QList<ClientConnection *> m_all;
    QHash<quint64, ClientConnection *> m_byId;
    QHash<quint64, ClientConnection *> m_byDevice;
    QHash<quint64, QList<ClientConnection *>> m_byUser;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConnectionRegistry.h"

#include "ClientConnection.h"

namespace chattermesh::server {

void ConnectionRegistry::add(ClientConnection *connection)
{
    m_all.append(connection);
    m_byId.insert(connection->id(), connection);
}

void ConnectionRegistry::remove(ClientConnection *connection)
{
    m_all.removeOne(connection);
    m_byId.remove(connection->id());
    const quint64 device = connection->deviceId();
    if (device != 0 && m_byDevice.value(device) == connection)
        m_byDevice.remove(device);
    removeUser(connection);
}

int ConnectionRegistry::addUser(ClientConnection *connection)
{
    QList<ClientConnection *> &list = m_byUser[connection->userId()];
    if (!list.contains(connection))
        list.append(connection);
    return int(list.size());
}

int ConnectionRegistry::removeUser(ClientConnection *connection)
{
    const auto found = m_byUser.find(connection->userId());
    if (found == m_byUser.end() || !found->removeOne(connection))
        return -1;
    const int left = int(found->size());
    if (left == 0)
        m_byUser.erase(found);
    return left;
}

ClientConnection *ConnectionRegistry::bindDevice(ClientConnection *connection)
{
    ClientConnection *&slot = m_byDevice[connection->deviceId()];
    ClientConnection *previous = slot != connection ? slot : nullptr;
    slot = connection;
    return previous;
}

} // namespace chattermesh::server

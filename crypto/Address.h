// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHashFunctions>
#include <QString>

namespace chattermesh::crypto {

// One device of one user: name = username, deviceId = the server's device id.
struct Address {
    QString name;
    qint32 deviceId = 0;

    friend bool operator==(const Address &a, const Address &b) noexcept
    {
        return a.deviceId == b.deviceId && a.name == b.name;
    }
    friend bool operator!=(const Address &a, const Address &b) noexcept { return !(a == b); }
    friend size_t qHash(const Address &a, size_t seed = 0) noexcept
    {
        return qHashMulti(seed, a.name, a.deviceId);
    }
};

} // namespace chattermesh::crypto

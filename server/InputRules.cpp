// SPDX-License-Identifier: GPL-3.0-or-later
#include "InputRules.h"

#include <QList>
#include <algorithm>

namespace chattermesh::server {

bool InputRules::validUsername(const std::string &username)
{
    if (username.size() < size_t(kUsernameMin) || username.size() > size_t(kUsernameMax))
        return false;
    return std::all_of(username.begin(), username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    });
}

bool InputRules::validPassword(const std::string &password)
{
    return password.size() >= size_t(kPasswordMinBytes) && password.size() <= size_t(kPasswordMaxBytes);
}

bool InputRules::validDeviceName(const QString &name)
{
    // Characters, not UTF-16 units or bytes: an emoji counts once.
    const QList<uint> codePoints = name.toUcs4();
    if (codePoints.isEmpty() || codePoints.size() > kDeviceNameMax)
        return false;
    return std::none_of(codePoints.begin(), codePoints.end(), [](uint c) { return c < 0x20 || c == 0x7f; });
}

bool InputRules::validAssetId(const QString &id)
{
    return id.size() == kAssetIdChars && std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <string>

namespace chattermesh::server {

// The field rules of Register/Login (and asset ids), in one place so docs/protocol.md has one thing to
// describe.
class InputRules {
public:
    static constexpr int kUsernameMin = 3;
    static constexpr int kUsernameMax = 32;
    static constexpr int kPasswordMinBytes = 8;
    static constexpr int kPasswordMaxBytes = 1024;
    static constexpr int kDeviceNameMax = 64;
    static constexpr int kAssetIdChars = 32;
    static constexpr int kMaxAssetIdsPerSend = 32;

    static bool validUsername(const std::string &username); // 3-32 of [a-z0-9_.-]
    static bool validPassword(const std::string &password); // 8-1024 bytes
    static bool validDeviceName(const QString &name); // 1-64 characters, no control characters
    static bool validAssetId(const QString &id); // 32 lowercase hex digits
};

} // namespace chattermesh::server

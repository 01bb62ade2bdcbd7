// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace chattermesh::server {

// Session tokens: 32 random bytes as base64url without padding. Only their SHA-256 is stored, so a
// copy of the database does not hand out sessions.
class TokenFactory {
public:
    static constexpr int kTokenBytes = 32;

    static std::optional<QString> newToken(); // nullopt if the RNG fails
    static QByteArray hash(const QString &token);
};

} // namespace chattermesh::server

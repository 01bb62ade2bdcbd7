// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace chattermesh::core {

// The secret that opens the local store. A raw 256-bit key (kept by the OS keychain) skips the
// KDF; a passphrase goes through SQLCipher's PBKDF2 (used where no keychain exists: headless, CI).
class DbKey {
public:
    static DbKey raw(const QByteArray &key32);
    static DbKey passphrase(const QString &passphrase);
    static QByteArray generateRaw(); // 32 bytes from OpenSSL's CSPRNG

    bool isRaw() const { return m_raw; }
    bool isEmpty() const { return m_material.isEmpty(); }
    // What sqlite3_key() takes: "x'<64 hex>'" for a raw key, the UTF-8 passphrase otherwise.
    QByteArray sqlcipherKey() const;

private:
    bool m_raw = false;
    QByteArray m_material;
};

} // namespace chattermesh::core

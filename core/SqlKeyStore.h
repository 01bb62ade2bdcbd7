// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "KeyStore.h"
#include "SqlDatabase.h"

namespace chattermesh::core {

// The Signal key stores persisted in the encrypted store, on the engine's connection. Writes made
// while the engine holds a transaction join it: a decrypted message and the ratchet step that
// decrypted it commit together, so a crash can neither lose the message nor reuse a key.
class SqlKeyStore final : public crypto::KeyStore {
public:
    explicit SqlKeyStore(SqlDatabase &db) : m_db(db) { }

    std::optional<QByteArray> load(Kind kind, const QByteArray &key) override;
    bool store(Kind kind, const QByteArray &key, const QByteArray &value) override;
    bool remove(Kind kind, const QByteArray &key) override;
    QList<QByteArray> keysWithPrefix(Kind kind, const QByteArray &prefix) override;

private:
    SqlDatabase &m_db;
};

} // namespace chattermesh::core

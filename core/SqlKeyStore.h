// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "KeyStore.h"
#include "SqlDatabase.h"

#include <QHash>
#include <optional>

namespace chattermesh::core {

// The Signal key stores persisted in the encrypted store, on the engine's connection. Writes made
// while the engine holds a transaction join it: a decrypted message and the ratchet step that
// decrypted it commit together, so a crash can neither lose the message nor reuse a key.
//
// Inside a transaction writes are held back and written once, just before COMMIT: libsignal
// rewrites a session record on every message, and a batch of 400 messages to one device would
// otherwise rewrite the same row 400 times. Reads see the held-back values; a rollback drops them.
class SqlKeyStore final : public crypto::KeyStore, public TransactionListener {
public:
    explicit SqlKeyStore(SqlDatabase &db) : m_db(db) { m_db.setListener(this); }
    ~SqlKeyStore() override { m_db.setListener(nullptr); }
    SqlKeyStore(const SqlKeyStore &) = delete;
    SqlKeyStore &operator=(const SqlKeyStore &) = delete;

    std::optional<QByteArray> load(Kind kind, const QByteArray &key) override;
    bool store(Kind kind, const QByteArray &key, const QByteArray &value) override;
    bool remove(Kind kind, const QByteArray &key) override;
    QList<QByteArray> keysWithPrefix(Kind kind, const QByteArray &prefix) override;

    bool beforeCommit() override;
    void afterRollback() override { m_held.clear(); }

private:
    bool write(Kind kind, const QByteArray &key, const std::optional<QByteArray> &value);

    SqlDatabase &m_db;
    // (kind, key) → value to write, or nullopt to delete.
    QHash<std::pair<int, QByteArray>, std::optional<QByteArray>> m_held;
};

} // namespace chattermesh::core

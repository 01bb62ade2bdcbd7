// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetRecord.h"
#include "SqliteDatabase.h"

#include <QStringList>
#include <optional>
#include <vector>

namespace chattermesh::server {

// The asset thread's own connection to server.db: token lookups and the assets table. The Store's
// writer never touches that table, and this connection never writes anything else, so the two
// only meet on SQLite's write lock, which each holds for one short autocommit statement (WAL:
// readers never wait). Not thread-safe: it lives on the asset thread.
class AssetDatabase {
public:
    struct TokenOwner {
        quint64 userId = 0;
        quint64 deviceId = 0;
        qint64 expiresMs = 0;
    };
    // What a lookup found: a database failure is told apart from "no such row".
    template<typename T> struct Lookup {
        bool failed = false;
        std::optional<T> value;
    };

    bool open(const QString &path, QString *error);
    void close();

    // The live (device not removed) owner of a token hash; expiry is left to the caller.
    Lookup<TokenOwner> tokenOwner(const QByteArray &tokenHash);

    bool insert(const AssetRecord &asset);
    Lookup<AssetRecord> find(const QString &id);
    bool setReceived(const QString &id, qint64 received, qint64 nowMs);
    bool setFinished(const QString &id, const QByteArray &digest, qint64 nowMs);
    bool remove(const QString &id);
    // Marks those of ids that belong to userId and are finished; returns how many changed (-1: failed).
    int markReferenced(quint64 userId, const QStringList &ids, qint64 nowMs);
    std::optional<std::vector<AssetRecord>> all();

    // Figures for /metrics, read at scrape time (WAL: the read never waits for the store's writer).
    std::optional<qint64> mailboxDepth(); // mailbox entries not yet acknowledged, every device
    std::optional<qint64> storedBytes(); // bytes of every blob, finished or not

private:
    bool failed(const char *what);
    std::optional<qint64> scalar(const char *sql, const char *what);

    SqliteDatabase m_db;
};

} // namespace chattermesh::server

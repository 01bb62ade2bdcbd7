// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StoreTypes.h"

namespace chattermesh::server {

class SqliteDatabase;

// The end-to-end key directory inside the SQLite store: each device's identity key, its current
// signed prekey and its stock of one-time prekeys. Runs on the writer thread like every store
// operation, so popping a one-time prekey is atomic without further locking.
class SqliteKeys {
public:
    static constexpr quint32 kLowStock = 20;
    static constexpr int kMaxUpload = 1000; // one-time prekeys in one UploadKeys

    explicit SqliteKeys(SqliteDatabase &db) : m_db(db) { }

    StoreResult<quint32> upload(quint64 deviceId, const proto::UploadKeys &keys);
    StoreResult<BundleFetch> fetch(quint64 requesterDevice, const QString &username);
    StoreResult<quint32> stock(quint64 deviceId);
    // Devices of the user (not removed) that uploaded keys: the ones an encrypted send must cover.
    std::optional<std::vector<quint64>> keyedDevicesOf(quint64 userId);

private:
    SqliteDatabase &m_db;
};

} // namespace chattermesh::server

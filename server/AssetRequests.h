// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AssetAuthenticator.h"
#include "AssetRecord.h"
#include "AssetReply.h"

#include <QStringList>
#include <QUrlQuery>
#include <variant>

namespace chattermesh::server {

class AssetDatabase;
class AssetFiles;
struct ServerConfig;

// The asset service's endpoints (docs/media.md) as plain functions from an authenticated request
// to a reply. Runs on the asset thread, one request at a time, so the checks and the writes of one
// request never interleave with another's.
class AssetRequests {
public:
    AssetRequests(const ServerConfig &config, AssetDatabase &database, AssetFiles &files);

    AssetReply create(const AssetCaller &caller, const QByteArray &body, qint64 nowMs);
    AssetReply put(const AssetCaller &caller, const QString &id, const QUrlQuery &query,
        const QByteArray &body, qint64 nowMs);
    AssetReply offset(const QString &id);
    AssetReply finish(const AssetCaller &caller, const QString &id, const QByteArray &body, qint64 nowMs);
    AssetReply download(const QString &id, const QByteArray &range);
    AssetReply remove(const AssetCaller &caller, const QString &id);

    // Send.asset_ids of a stored message: the sender's finished ones become referenced.
    void markReferenced(quint64 userId, const QStringList &ids, qint64 nowMs);

private:
    // The row, or the reply that ends the request (NOT_FOUND, INTERNAL).
    std::variant<AssetRecord, AssetReply> load(const QString &id);
    // The upload offset: the stored bytes. After a crash the row and the blob may disagree; the
    // smaller wins and both are brought to it.
    std::optional<qint64> reconcile(AssetRecord &asset, qint64 nowMs);
    qint64 limitFor(const QString &kind) const; // -1: unknown kind

    const ServerConfig &m_config;
    AssetDatabase &m_database;
    AssetFiles &m_files;
};

} // namespace chattermesh::server

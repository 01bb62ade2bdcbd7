// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetDatabase.h"

#include "ServerLog.h"

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr const char *kColumns = "id, owner_user, owner_device, kind, size, received, digest, created_ms, "
                                 "active_ms, finished_ms, referenced_ms";

AssetRecord recordFrom(const SqliteStatement &row)
{
    AssetRecord asset;
    asset.id = row.text(0);
    asset.ownerUser = quint64(row.int64(1));
    asset.ownerDevice = quint64(row.int64(2));
    asset.kind = row.text(3);
    asset.size = row.int64(4);
    asset.received = row.int64(5);
    asset.digest = row.blob(6);
    asset.createdMs = row.int64(7);
    asset.activeMs = row.int64(8);
    asset.finishedMs = row.int64(9);
    asset.referencedMs = row.int64(10);
    return asset;
}

} // namespace

bool AssetDatabase::open(const QString &path, QString *error)
{
    if (!m_db.open(path)) {
        *error = u"cannot open "_s + path;
        return false;
    }
    // The Store made the file WAL and migrated it before this connection opens. NORMAL: in WAL mode
    // a commit is then not fsynced by itself (the Store's next FULL commit or a checkpoint does it),
    // so this connection never holds the write lock across an fsync. What a power cut could lose
    // (a chunk's offset, a referenced mark) is repaired from the blob's size or costs at most an
    // early clean-up; the blob itself is fdatasynced on finish.
    if (!m_db.exec("PRAGMA busy_timeout = 5000") || !m_db.exec("PRAGMA synchronous = NORMAL")) {
        *error = m_db.lastError();
        return false;
    }
    SqliteStatement probe = m_db.prepare("SELECT count(*) FROM assets");
    if (!probe.valid() || !probe.nextRow()) {
        *error = u"the assets table is missing: "_s + m_db.lastError();
        return false;
    }
    return true;
}

void AssetDatabase::close()
{
    m_db.close();
}

bool AssetDatabase::failed(const char *what)
{
    qCWarning(lcServer) << "assets:" << what << "failed:" << m_db.lastError();
    return false;
}

AssetDatabase::Lookup<AssetDatabase::TokenOwner> AssetDatabase::tokenOwner(const QByteArray &tokenHash)
{
    SqliteStatement select
        = m_db.prepare("SELECT d.user_id, t.device_id, t.expires_ms FROM tokens t JOIN devices d "
                       "ON d.id = t.device_id WHERE t.hash = ? AND d.removed = 0");
    if (select.bindBlob(1, tokenHash).nextRow())
        return { false, TokenOwner { quint64(select.int64(0)), quint64(select.int64(1)), select.int64(2) } };
    if (select.failed())
        failed("token lookup");
    return { select.failed(), std::nullopt };
}

bool AssetDatabase::insert(const AssetRecord &asset)
{
    SqliteStatement insert = m_db.prepare(
        "INSERT INTO assets(id, owner_user, owner_device, kind, size, received, created_ms, active_ms) "
        "VALUES(?, ?, ?, ?, ?, 0, ?, ?)");
    insert.bindText(1, asset.id).bindInt(2, qint64(asset.ownerUser)).bindInt(3, qint64(asset.ownerDevice));
    insert.bindText(4, asset.kind)
        .bindInt(5, asset.size)
        .bindInt(6, asset.createdMs)
        .bindInt(7, asset.activeMs);
    return insert.run() || failed("insert");
}

AssetDatabase::Lookup<AssetRecord> AssetDatabase::find(const QString &id)
{
    static const QByteArray sql = QByteArray("SELECT ") + kColumns + " FROM assets WHERE id = ?";
    SqliteStatement select = m_db.prepare(sql.constData());
    if (select.bindText(1, id).nextRow())
        return { false, recordFrom(select) };
    if (select.failed())
        failed("lookup");
    return { select.failed(), std::nullopt };
}

bool AssetDatabase::setReceived(const QString &id, qint64 received, qint64 nowMs)
{
    SqliteStatement update = m_db.prepare("UPDATE assets SET received = ?, active_ms = ? WHERE id = ?");
    return update.bindInt(1, received).bindInt(2, nowMs).bindText(3, id).run() || failed("progress update");
}

bool AssetDatabase::setFinished(const QString &id, const QByteArray &digest, qint64 nowMs)
{
    SqliteStatement update
        = m_db.prepare("UPDATE assets SET digest = ?, finished_ms = ?, active_ms = ? WHERE id = ?");
    update.bindBlob(1, digest).bindInt(2, nowMs).bindInt(3, nowMs).bindText(4, id);
    return update.run() || failed("finish update");
}

bool AssetDatabase::remove(const QString &id)
{
    SqliteStatement remove = m_db.prepare("DELETE FROM assets WHERE id = ?");
    return remove.bindText(1, id).run() || failed("delete");
}

int AssetDatabase::markReferenced(quint64 userId, const QStringList &ids, qint64 nowMs)
{
    int changed = 0;
    for (const QString &id : ids) {
        SqliteStatement mark
            = m_db.prepare("UPDATE assets SET referenced_ms = ? WHERE id = ? AND owner_user = ? "
                           "AND finished_ms > 0 AND referenced_ms = 0");
        if (!mark.bindInt(1, nowMs).bindText(2, id).bindInt(3, qint64(userId)).run()) {
            failed("reference mark");
            return -1;
        }
        changed += int(m_db.changes());
    }
    return changed;
}

std::optional<std::vector<AssetRecord>> AssetDatabase::all()
{
    static const QByteArray sql = QByteArray("SELECT ") + kColumns + " FROM assets ORDER BY created_ms";
    SqliteStatement select = m_db.prepare(sql.constData());
    std::vector<AssetRecord> assets;
    while (select.nextRow())
        assets.push_back(recordFrom(select));
    if (select.failed()) {
        failed("sweep scan");
        return std::nullopt;
    }
    return assets;
}

std::optional<qint64> AssetDatabase::mailboxDepth()
{
    return scalar("SELECT count(*) FROM mailbox", "mailbox depth");
}

std::optional<qint64> AssetDatabase::storedBytes()
{
    return scalar("SELECT coalesce(sum(received), 0) FROM assets", "stored bytes");
}

std::optional<qint64> AssetDatabase::scalar(const char *sql, const char *what)
{
    SqliteStatement select = m_db.prepare(sql);
    if (select.nextRow())
        return select.int64(0);
    failed(what);
    return std::nullopt;
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "TransferStore.h"

#include <sqlite3.h>

namespace chattermesh::core {

namespace {

constexpr const char *kColumns = "message, upload, state, source, file, asset_id, error, error_text";

Transfer read(SqlStatement &q)
{
    Transfer t;
    t.message = q.int64(0);
    t.upload = q.int64(1) != 0;
    t.state = TransferState(q.int64(2));
    t.source = q.text(3);
    t.file = q.text(4);
    t.assetId = q.text(5);
    t.error = MediaError(q.int64(6));
    t.errorText = q.text(7);
    return t;
}

} // namespace

QString transferStateName(TransferState s)
{
    switch (s) {
    case TransferState::Preparing:
        return QStringLiteral("preparing");
    case TransferState::Uploading:
        return QStringLiteral("uploading");
    case TransferState::Downloading:
        return QStringLiteral("downloading");
    case TransferState::Paused:
        return QStringLiteral("paused");
    case TransferState::Failed:
        return QStringLiteral("failed");
    case TransferState::Done:
        return QStringLiteral("done");
    case TransferState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QString();
}

StoreResult<Unit> TransferStore::add(const Transfer &t, qint64 nowMs)
{
    auto &q
        = m_db.prepared("INSERT OR REPLACE INTO transfers(message, upload, state, source, file, asset_id, "
                        "error, error_text, updated_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, t.message).bind(2, qint64(t.upload ? 1 : 0)).bind(3, qint64(t.state)).bind(4, t.source);
    q.bind(5, t.file).bind(6, t.assetId).bind(7, qint64(t.error)).bind(8, t.errorText).bind(9, nowMs);
    if (q.exec() != SQLITE_DONE)
        return m_db.failure("insert transfer");
    return Unit {};
}

StoreResult<Unit> TransferStore::setState(
    qint64 message, TransferState state, qint64 nowMs, MediaError error, const QString &errorText)
{
    auto &q = m_db.prepared(
        "UPDATE transfers SET state = ?, error = ?, error_text = ?, updated_ms = ? WHERE message = ?");
    q.bind(1, qint64(state)).bind(2, qint64(error)).bind(3, errorText).bind(4, nowMs).bind(5, message);
    if (q.exec() != SQLITE_DONE)
        return m_db.failure("update transfer state");
    return Unit {};
}

StoreResult<Unit> TransferStore::setAsset(qint64 message, const QString &assetId, qint64 nowMs)
{
    auto &q = m_db.prepared("UPDATE transfers SET asset_id = ?, updated_ms = ? WHERE message = ?");
    q.bind(1, assetId).bind(2, nowMs).bind(3, message);
    if (q.exec() != SQLITE_DONE)
        return m_db.failure("update transfer asset");
    return Unit {};
}

std::optional<Transfer> TransferStore::get(qint64 message)
{
    static const QByteArray sql = "SELECT " + QByteArray(kColumns) + " FROM transfers WHERE message = ?";
    auto &q = m_db.prepared(sql.constData());
    q.bind(1, message);
    if (!q.step()) {
        q.reset();
        return std::nullopt;
    }
    Transfer t = read(q);
    q.reset();
    return t;
}

StoreResult<QList<Transfer>> TransferStore::active()
{
    static const QByteArray sql
        = "SELECT " + QByteArray(kColumns) + " FROM transfers WHERE state IN (0, 1, 2) ORDER BY message";
    auto &q = m_db.prepared(sql.constData());
    QList<Transfer> out;
    while (q.step())
        out.append(read(q));
    q.reset();
    return out;
}

StoreResult<QStringList> TransferStore::unsealedSources()
{
    auto &q = m_db.prepared("SELECT source FROM transfers WHERE upload = 1 AND state IN (0, 3)");
    QStringList out;
    while (q.step())
        out.append(q.text(0));
    q.reset();
    return out;
}

} // namespace chattermesh::core

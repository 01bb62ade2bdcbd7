// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetRequests.h"

#include "AssetDatabase.h"
#include "AssetFiles.h"
#include "ByteRange.h"
#include "ServerConfig.h"
#include "ServerLog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <openssl/rand.h>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kIdBytes = 16;
constexpr int kDigestHexChars = 64;

AssetReply malformed(const QString &why)
{
    return AssetReply::error(AssetError::Malformed, why);
}

AssetReply internal()
{
    return AssetReply::error(AssetError::Internal, u"storage failure"_s);
}

std::optional<QString> newId()
{
    QByteArray raw(kIdBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), kIdBytes) != 1)
        return std::nullopt;
    return QString::fromLatin1(raw.toHex());
}

std::optional<QJsonObject> jsonObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// A JSON number that is a whole number of bytes (JSON has no integers of its own).
std::optional<qint64> wholeNumber(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (number != std::floor(number) || number < 0 || number > 9.0e15)
        return std::nullopt;
    return qint64(number);
}

std::optional<qint64> offsetParameter(const QUrlQuery &query)
{
    if (!query.hasQueryItem(u"offset"_s))
        return std::nullopt;
    const QString text = query.queryItemValue(u"offset"_s);
    if (text.isEmpty() || text.size() > 18
        || !std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return std::nullopt;
    return text.toLongLong();
}

std::optional<QByteArray> digestFrom(const QJsonObject &body)
{
    const QString hex = body.value(u"digest"_s).toString();
    if (hex.size() != kDigestHexChars || !std::all_of(hex.begin(), hex.end(), [](QChar c) {
            return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        }))
        return std::nullopt;
    return QByteArray::fromHex(hex.toLatin1());
}

} // namespace

AssetRequests::AssetRequests(const ServerConfig &config, AssetDatabase &database, AssetFiles &files)
    : m_config(config), m_database(database), m_files(files)
{ }

qint64 AssetRequests::limitFor(const QString &kind) const
{
    if (kind == u"image"_s)
        return m_config.assetMaxImageBytes;
    if (kind == u"video"_s)
        return m_config.assetMaxVideoBytes;
    if (kind == u"voice"_s)
        return m_config.assetMaxVoiceBytes;
    if (kind == u"file"_s)
        return m_config.assetMaxFileBytes;
    return -1;
}

std::variant<AssetRecord, AssetReply> AssetRequests::load(const QString &id)
{
    auto found = m_database.find(id);
    if (found.failed)
        return internal();
    if (!found.value)
        return AssetReply::error(AssetError::NotFound, u"no such asset"_s);
    return std::move(*found.value);
}

std::optional<qint64> AssetRequests::reconcile(AssetRecord &asset, qint64 nowMs)
{
    qint64 onDisk = m_files.size(asset.id);
    if (onDisk < 0) {
        if (!m_files.create(asset.id))
            return std::nullopt;
        onDisk = 0;
    }
    if (onDisk < asset.received) {
        qCWarning(lcServer) << "assets: blob shorter than recorded; upload resumes at" << onDisk;
        if (!m_database.setReceived(asset.id, onDisk, nowMs))
            return std::nullopt;
        asset.received = onDisk;
    }
    return asset.received;
}

AssetReply AssetRequests::create(const AssetCaller &caller, const QByteArray &body, qint64 nowMs)
{
    const auto request = jsonObject(body);
    if (!request)
        return malformed(u"the body must be a JSON object"_s);
    const QString kind = request->value(u"kind"_s).toString();
    const qint64 limit = limitFor(kind);
    if (limit < 0)
        return malformed(u"kind must be image, video, voice or file"_s);
    const auto size = wholeNumber(request->value(u"size"_s));
    if (!size || *size == 0)
        return malformed(u"size must be a positive whole number of bytes"_s);
    // The limits are for the files people pick; a blob adds its IV, a padding block and its MAC
    // (docs/media.md), so a 100 MiB video at the limit still fits.
    constexpr qint64 kEnvelopeBytes = 16 + 16 + 32;
    if (*size > limit + kEnvelopeBytes)
        return AssetReply::error(
            AssetError::TooLarge, u"%1 assets are limited to %2 bytes"_s.arg(kind).arg(limit));

    const auto id = newId();
    if (!id)
        return internal();
    AssetRecord asset;
    asset.id = *id;
    asset.ownerUser = caller.userId;
    asset.ownerDevice = caller.deviceId;
    asset.kind = kind;
    asset.size = *size;
    asset.createdMs = nowMs;
    asset.activeMs = nowMs;
    if (!m_files.create(asset.id))
        return internal();
    if (!m_database.insert(asset)) {
        m_files.remove(asset.id);
        return internal();
    }
    return AssetReply::json(201,
        { { u"id"_s, asset.id }, { u"size"_s, double(asset.size) },
            { u"chunk"_s, double(m_config.assetChunkBytes) } });
}

AssetReply AssetRequests::put(const AssetCaller &caller, const QString &id, const QUrlQuery &query,
    const QByteArray &body, qint64 nowMs)
{
    const auto offset = offsetParameter(query);
    if (!offset)
        return malformed(u"?offset=<bytes> is required"_s);
    if (body.size() > m_config.assetChunkBytes)
        return AssetReply::error(
            AssetError::TooLarge, u"a chunk is at most %1 bytes"_s.arg(m_config.assetChunkBytes));
    auto loaded = load(id);
    if (auto *reply = std::get_if<AssetReply>(&loaded))
        return std::move(*reply);
    AssetRecord &asset = std::get<AssetRecord>(loaded);
    if (asset.ownerUser != caller.userId)
        return AssetReply::error(AssetError::PermissionDenied, u"only the uploader may write an asset"_s);
    if (asset.finishedMs > 0)
        return AssetReply::error(AssetError::AlreadyComplete, u"the asset is finished"_s);
    const auto current = reconcile(asset, nowMs);
    if (!current)
        return internal();
    if (*offset != *current)
        return AssetReply::error(AssetError::OffsetMismatch, u"the upload continues at %1"_s.arg(*current),
            { { u"offset"_s, double(*current) } });
    if (*offset + body.size() > asset.size)
        return AssetReply::error(
            AssetError::TooLarge, u"the chunk runs past the declared size of %1 bytes"_s.arg(asset.size));
    if (!m_files.write(id, *offset, body))
        return internal();
    const qint64 received = *offset + body.size();
    if (!m_database.setReceived(id, received, nowMs))
        return internal();
    return AssetReply::json(200, { { u"offset"_s, double(received) } });
}

AssetReply AssetRequests::offset(const QString &id)
{
    auto loaded = load(id);
    if (auto *reply = std::get_if<AssetReply>(&loaded))
        return std::move(*reply);
    AssetRecord &asset = std::get<AssetRecord>(loaded);
    const bool complete = asset.finishedMs > 0;
    if (!complete) {
        // Reconciling touches active_ms only when it has to repair; asking for the offset is not
        // activity that should keep an abandoned upload alive.
        if (!reconcile(asset, asset.activeMs))
            return internal();
    }
    return AssetReply::json(200,
        { { u"offset"_s, double(asset.received) }, { u"size"_s, double(asset.size) },
            { u"complete"_s, complete } });
}

AssetReply AssetRequests::finish(
    const AssetCaller &caller, const QString &id, const QByteArray &body, qint64 nowMs)
{
    const auto request = jsonObject(body);
    if (!request)
        return malformed(u"the body must be a JSON object"_s);
    const auto digest = digestFrom(*request);
    if (!digest)
        return malformed(u"digest must be 64 hex digits (SHA-256)"_s);
    auto loaded = load(id);
    if (auto *reply = std::get_if<AssetReply>(&loaded))
        return std::move(*reply);
    AssetRecord &asset = std::get<AssetRecord>(loaded);
    if (asset.ownerUser != caller.userId)
        return AssetReply::error(AssetError::PermissionDenied, u"only the uploader may finish an asset"_s);
    const QJsonObject done { { u"id"_s, asset.id }, { u"size"_s, double(asset.size) } };
    if (asset.finishedMs > 0) {
        // A retried finish (its answer was lost) gets the same answer.
        if (asset.digest == *digest)
            return AssetReply::json(200, done);
        return AssetReply::error(AssetError::DigestMismatch, u"the asset was finished with another digest"_s);
    }
    const auto current = reconcile(asset, nowMs);
    if (!current)
        return internal();
    if (*current < asset.size)
        return AssetReply::error(AssetError::Incomplete,
            u"%1 of %2 bytes arrived"_s.arg(*current).arg(asset.size), { { u"offset"_s, double(*current) } });
    if (!m_files.sync(id))
        return internal();
    const auto stored = m_files.sha256(id);
    if (!stored)
        return internal();
    if (*stored != *digest)
        return AssetReply::error(AssetError::DigestMismatch, u"the stored bytes have another SHA-256"_s);
    if (!m_database.setFinished(id, *stored, nowMs))
        return internal();
    return AssetReply::json(200, done);
}

AssetReply AssetRequests::download(const QString &id, const QByteArray &rangeHeader)
{
    auto loaded = load(id);
    if (auto *reply = std::get_if<AssetReply>(&loaded))
        return std::move(*reply);
    const AssetRecord &asset = std::get<AssetRecord>(loaded);
    if (asset.finishedMs == 0)
        return AssetReply::error(AssetError::NotFound, u"the asset is not finished"_s);
    const qint64 chunk = m_config.assetChunkBytes;
    const ByteRange range = ByteRange::parse(rangeHeader, asset.size, chunk);
    const QByteArray total = QByteArray::number(asset.size);
    switch (range.status()) {
    case ByteRange::Status::Malformed:
        return malformed(u"Range must be bytes=A-B or bytes=A-"_s);
    case ByteRange::Status::Unsatisfiable:
        return AssetReply::error(AssetError::RangeNotSatisfiable, u"the asset has %1 bytes"_s.arg(asset.size))
            .addHeader("Content-Range", "bytes */" + total);
    case ByteRange::Status::None:
    case ByteRange::Status::Ok:
        break;
    }
    const bool whole = range.status() == ByteRange::Status::None && asset.size <= chunk;
    const qint64 first = range.status() == ByteRange::Status::Ok ? range.first() : 0;
    const qint64 length = whole                   ? asset.size
        : range.status() == ByteRange::Status::Ok ? range.length()
                                                  : std::min(chunk, asset.size);
    auto bytes = m_files.read(id, first, length);
    if (!bytes) {
        qCWarning(lcServer) << "assets: a finished blob is missing or short";
        return AssetReply::error(AssetError::NotFound, u"the asset's bytes are gone"_s);
    }
    AssetReply::Headers headers { { "Accept-Ranges", "bytes" } };
    if (whole)
        return AssetReply::bytes(200, std::move(*bytes), headers);
    headers.append({ "Content-Range",
        "bytes " + QByteArray::number(first) + '-' + QByteArray::number(first + length - 1) + '/' + total });
    return AssetReply::bytes(206, std::move(*bytes), headers);
}

AssetReply AssetRequests::remove(const AssetCaller &caller, const QString &id)
{
    auto loaded = load(id);
    if (auto *reply = std::get_if<AssetReply>(&loaded))
        return std::move(*reply);
    const AssetRecord &asset = std::get<AssetRecord>(loaded);
    if (asset.ownerUser != caller.userId)
        return AssetReply::error(AssetError::PermissionDenied, u"only the uploader may delete an asset"_s);
    if (!m_files.remove(id) || !m_database.remove(id))
        return internal();
    return AssetReply::empty(204);
}

void AssetRequests::markReferenced(quint64 userId, const QStringList &ids, qint64 nowMs)
{
    const int marked = m_database.markReferenced(userId, ids, nowMs);
    if (marked >= 0)
        qCDebug(lcServer) << "assets:" << marked << "of" << ids.size() << "named by a send of user" << userId
                          << "marked referenced";
}

} // namespace chattermesh::server

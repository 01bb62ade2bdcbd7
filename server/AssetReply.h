// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace chattermesh::server {

// Every error the asset service answers with (docs/media.md's table), named like proto::ErrorCode
// where one fits.
enum class AssetError {
    InvalidToken, // 401
    Malformed, // 400
    TooLarge, // 413
    NotFound, // 404
    PermissionDenied, // 403
    OffsetMismatch, // 409
    Incomplete, // 409
    AlreadyComplete, // 409
    DigestMismatch, // 422
    RangeNotSatisfiable, // 416
    ShuttingDown, // 503
    Internal, // 500
    MethodNotAllowed, // 405 (the operations endpoints answer GET only)
};

// One HTTP answer of the asset service (or of the operations endpoints beside it), built by the request
// handlers and written by the server.
class AssetReply {
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    static AssetReply json(int status, const QJsonObject &body);
    // {"error":"<CODE>","message":"..."} plus extra fields (OFFSET_MISMATCH carries "offset").
    static AssetReply error(AssetError error, const QString &message, const QJsonObject &extra = {});
    static AssetReply bytes(int status, QByteArray body, Headers headers);
    static AssetReply empty(int status);
    static AssetReply text(int status, QByteArray body, QByteArray contentType);
    static const char *codeName(AssetError error);
    AssetReply &addHeader(const QByteArray &name, const QByteArray &value);

    int status() const { return m_status; }
    const QByteArray &contentType() const { return m_contentType; }
    const QByteArray &body() const { return m_body; }
    const Headers &headers() const { return m_headers; }
    // The error code for the log, empty on success.
    const char *errorCode() const { return m_errorCode; }

private:
    int m_status = 200;
    QByteArray m_contentType;
    QByteArray m_body;
    Headers m_headers;
    const char *m_errorCode = "";
};

} // namespace chattermesh::server

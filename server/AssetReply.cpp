// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetReply.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

int statusOf(AssetError error)
{
    switch (error) {
    case AssetError::InvalidToken:
        return 401;
    case AssetError::Malformed:
        return 400;
    case AssetError::TooLarge:
        return 413;
    case AssetError::NotFound:
        return 404;
    case AssetError::PermissionDenied:
        return 403;
    case AssetError::OffsetMismatch:
    case AssetError::Incomplete:
    case AssetError::AlreadyComplete:
        return 409;
    case AssetError::DigestMismatch:
        return 422;
    case AssetError::RangeNotSatisfiable:
        return 416;
    case AssetError::ShuttingDown:
        return 503;
    case AssetError::Internal:
        return 500;
    case AssetError::MethodNotAllowed:
        return 405;
    }
    return 500;
}

} // namespace

const char *AssetReply::codeName(AssetError error)
{
    switch (error) {
    case AssetError::InvalidToken:
        return "INVALID_TOKEN";
    case AssetError::Malformed:
        return "MALFORMED";
    case AssetError::TooLarge:
        return "TOO_LARGE";
    case AssetError::NotFound:
        return "NOT_FOUND";
    case AssetError::PermissionDenied:
        return "PERMISSION_DENIED";
    case AssetError::OffsetMismatch:
        return "OFFSET_MISMATCH";
    case AssetError::Incomplete:
        return "INCOMPLETE";
    case AssetError::AlreadyComplete:
        return "ALREADY_COMPLETE";
    case AssetError::DigestMismatch:
        return "DIGEST_MISMATCH";
    case AssetError::RangeNotSatisfiable:
        return "RANGE_NOT_SATISFIABLE";
    case AssetError::ShuttingDown:
        return "SERVER_SHUTTING_DOWN";
    case AssetError::Internal:
        return "INTERNAL";
    case AssetError::MethodNotAllowed:
        return "METHOD_NOT_ALLOWED";
    }
    return "INTERNAL";
}

AssetReply AssetReply::json(int status, const QJsonObject &body)
{
    AssetReply reply;
    reply.m_status = status;
    reply.m_contentType = "application/json";
    reply.m_body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return reply;
}

AssetReply AssetReply::error(AssetError error, const QString &message, const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(u"error"_s, QString::fromLatin1(codeName(error)));
    body.insert(u"message"_s, message);
    AssetReply reply = json(statusOf(error), body);
    reply.m_errorCode = codeName(error);
    return reply;
}

AssetReply AssetReply::bytes(int status, QByteArray body, Headers headers)
{
    AssetReply reply;
    reply.m_status = status;
    reply.m_contentType = "application/octet-stream";
    reply.m_body = std::move(body);
    reply.m_headers = std::move(headers);
    return reply;
}

AssetReply &AssetReply::addHeader(const QByteArray &name, const QByteArray &value)
{
    m_headers.append({ name, value });
    return *this;
}

AssetReply AssetReply::text(int status, QByteArray body, QByteArray contentType)
{
    AssetReply reply;
    reply.m_status = status;
    reply.m_contentType = std::move(contentType);
    reply.m_body = std::move(body);
    return reply;
}

AssetReply AssetReply::empty(int status)
{
    AssetReply reply;
    reply.m_status = status;
    return reply;
}

} // namespace chattermesh::server

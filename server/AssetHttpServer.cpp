// SPDX-License-Identifier: GPL-3.0-or-later
#include "AssetHttpServer.h"

#include "AssetAuthenticator.h"
#include "AssetRequests.h"
#include "InputRules.h"
#include "OpsEndpoints.h"
#include "ServerLog.h"
#include "ServerMetrics.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

using Method = QHttpServerRequest::Method;

QByteArray header(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers())
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

const char *methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Put:
        return "PUT";
    case Method::Post:
        return "POST";
    case Method::Delete:
        return "DELETE";
    default:
        return "OTHER";
    }
}

AssetReply noRoute()
{
    return AssetReply::error(AssetError::NotFound, u"no such endpoint"_s);
}

} // namespace

AssetHttpServer::AssetHttpServer(AssetAuthenticator &authenticator, AssetRequests &requests,
    OpsEndpoints &ops, ServerMetrics &metrics, QObject *parent)
    : QAbstractHttpServer(parent),
      m_authenticator(authenticator),
      m_requests(requests),
      m_ops(ops),
      m_metrics(metrics)
{ }

bool AssetHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QElapsedTimer timer;
    timer.start();
    if (const auto ops = m_ops.handle(request)) {
        send(*ops, request, socket);
        // Scrapes and probes come every few seconds: not worth an info line each.
        qCDebug(lcServer).nospace().noquote()
            << "ops " << methodName(request.method()) << " " << request.url().path() << ": " << ops->status();
        return true;
    }
    const AssetReply reply = route(request, QDateTime::currentMSecsSinceEpoch());
    send(reply, request, socket);
    // The path holds only the asset id, and only its first 8 digits are logged; never headers.
    const QStringList parts = request.url().path().split(u'/', Qt::SkipEmptyParts);
    const QString asset = parts.size() >= 3 ? parts.at(2).left(8) : QString();
    qCInfo(lcServer).nospace().noquote()
        << "asset " << methodName(request.method()) << " " << (asset.isEmpty() ? u"-"_s : asset) << " "
        << (parts.size() >= 4 ? parts.at(3) : QString()) << " from " << request.remoteAddress().toString()
        << ": " << reply.status() << " " << reply.errorCode() << " (" << request.body().size() << " in, "
        << reply.body().size() << " out, " << timer.elapsed() << " ms)";
    return true;
}

void AssetHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    send(noRoute(), request, socket);
}

AssetReply AssetHttpServer::route(const QHttpServerRequest &request, qint64 nowMs)
{
    if (m_draining)
        return AssetReply::error(AssetError::ShuttingDown, u"server shutting down"_s);
    const QStringList parts = request.url().path().split(u'/', Qt::SkipEmptyParts);
    if (parts.size() < 2 || parts.size() > 4 || parts.at(0) != u"v1"_s || parts.at(1) != u"assets"_s)
        return noRoute();
    const Method method = request.method();
    const QString action = parts.size() == 4 ? parts.at(3) : QString();
    const bool known = (parts.size() == 2 && method == Method::Post)
        || (parts.size() == 3 && (method == Method::Put || method == Method::Get || method == Method::Delete))
        || (action == u"offset"_s && method == Method::Get)
        || (action == u"finish"_s && method == Method::Post);
    if (!known)
        return noRoute();

    const auto caller = m_authenticator.authenticate(header(request, "Authorization"), nowMs);
    if (!caller.ok()) {
        if (caller.error().code == AssetError::InvalidToken)
            m_metrics.authFailed("http", "invalid_token");
        return AssetReply::error(caller.error().code, caller.error().message);
    }
    if (parts.size() == 2)
        return m_requests.create(caller.value(), request.body(), nowMs);

    const QString &id = parts.at(2);
    if (!InputRules::validAssetId(id))
        return AssetReply::error(AssetError::Malformed, u"an asset id is 32 lowercase hex digits"_s);
    if (action == u"offset"_s)
        return m_requests.offset(id);
    if (action == u"finish"_s)
        return m_requests.finish(caller.value(), id, request.body(), nowMs);
    switch (method) {
    case Method::Put:
        return m_requests.put(caller.value(), id, request.query(), request.body(), nowMs);
    case Method::Get:
        return m_requests.download(id, header(request, "Range"));
    case Method::Delete:
        return m_requests.remove(caller.value(), id);
    default:
        return noRoute();
    }
}

void AssetHttpServer::send(const AssetReply &reply, const QHttpServerRequest &request, QTcpSocket *socket)
{
    m_metrics.httpRequest(reply.status());
    if (*reply.errorCode() != '\0')
        m_metrics.rejected("http", reply.errorCode());
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(reply.status()));
    if (!reply.contentType().isEmpty())
        responder.writeHeader("Content-Type", reply.contentType());
    for (const auto &[name, value] : reply.headers())
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(reply.body().size()));
    responder.writeBody(reply.body());
}

} // namespace chattermesh::server

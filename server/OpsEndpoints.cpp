// SPDX-License-Identifier: GPL-3.0-or-later
#include "OpsEndpoints.h"

#include "AssetDatabase.h"
#include "Metrics.h"
#include "ServerHealth.h"
#include "ServerMetrics.h"

#include <QHttpServerRequest>
#include <openssl/crypto.h>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr const char *kTextPlain = "text/plain; charset=utf-8";

QByteArray header(const QHttpServerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers())
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

} // namespace

OpsEndpoints::OpsEndpoints(
    QByteArray metricsToken, ServerMetrics &metrics, const ServerHealth &health, AssetDatabase &database)
    : m_token(std::move(metricsToken)), m_metrics(metrics), m_health(health), m_database(database)
{ }

std::optional<AssetReply> OpsEndpoints::handle(const QHttpServerRequest &request)
{
    const QString path = request.url().path();
    if (path != u"/healthz"_s && path != u"/readyz"_s && path != u"/metrics"_s)
        return std::nullopt;
    if (request.method() != QHttpServerRequest::Method::Get)
        return AssetReply::error(AssetError::MethodNotAllowed, u"only GET is allowed here"_s)
            .addHeader("Allow", "GET");
    if (path == u"/healthz"_s)
        return AssetReply::text(200, "ok\n", kTextPlain);
    if (path == u"/readyz"_s) {
        if (const auto reason = m_health.notReadyReason())
            return AssetReply::text(503, "not ready: " + reason->toUtf8() + '\n', kTextPlain);
        return AssetReply::text(200, "ready\n", kTextPlain);
    }
    return metrics(request);
}

AssetReply OpsEndpoints::metrics(const QHttpServerRequest &request)
{
    if (!m_token.isEmpty() && !authorized(header(request, "Authorization"))) {
        m_metrics.authFailed("http", "metrics_token");
        return AssetReply::error(AssetError::InvalidToken, u"/metrics needs the metrics token"_s)
            .addHeader("WWW-Authenticate", "Bearer");
    }
    // Read here rather than kept up to date: one indexed count per scrape, off the network thread.
    if (const auto depth = m_database.mailboxDepth())
        m_metrics.setMailboxDepth(*depth);
    if (const auto bytes = m_database.storedBytes())
        m_metrics.setAssetBytesStored(*bytes);
    return AssetReply::text(200, m_metrics.render(), Metrics::kContentType);
}

bool OpsEndpoints::authorized(const QByteArray &authorization) const
{
    static const QByteArray scheme = "Bearer ";
    if (!authorization.startsWith(scheme))
        return false;
    const QByteArray given = authorization.mid(scheme.size()).trimmed();
    // Constant time over the token's length, so timing does not reveal how much of a guess matched.
    return given.size() == m_token.size()
        && CRYPTO_memcmp(given.constData(), m_token.constData(), size_t(m_token.size())) == 0;
}

} // namespace chattermesh::server

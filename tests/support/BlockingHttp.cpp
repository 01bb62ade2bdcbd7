// SPDX-License-Identifier: GPL-3.0-or-later
#include "BlockingHttp.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <memory>

using namespace Qt::StringLiterals;

namespace chattermesh::test {

QString BlockingHttp::Reply::error() const
{
    return json.value(u"error"_s).toString();
}

BlockingHttp::BlockingHttp(QByteArray bearerToken) : m_token(std::move(bearerToken)) { }

BlockingHttp::Reply BlockingHttp::request(
    const QByteArray &verb, const QUrl &url, const QByteArray &body, const Headers &headers, int timeoutMs)
{
    QNetworkRequest request(url);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (verb == "PUT")
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/octet-stream"_s);
    else if (verb == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply;
    if (verb == "PUT" || verb == "POST")
        reply.reset(m_manager.sendCustomRequest(request, verb, body));
    else
        reply.reset(m_manager.sendCustomRequest(request, verb));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(timeoutMs)) {
        reply->abort();
        return {};
    }
    Reply answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.contentRange = reply->rawHeader("Content-Range");
    const QJsonDocument document = QJsonDocument::fromJson(answer.body);
    if (document.isObject())
        answer.json = document.object();
    return answer;
}

} // namespace chattermesh::test

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QUrl>

namespace chattermesh::test {

// Blocking HTTP for tests (the asset service): each call spins the event loop until the reply
// finishes, bounded by a timeout. Real HTTP through QNetworkAccessManager, nothing faked.
class BlockingHttp {
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    struct Reply {
        int status = 0; // 0: no answer within the timeout (or a network failure)
        QByteArray body;
        QJsonObject json; // the body parsed, when it is a JSON object
        QByteArray contentRange;
        QString error() const; // json["error"]
    };

    explicit BlockingHttp(QByteArray bearerToken = {});

    void setToken(const QByteArray &bearerToken) { m_token = bearerToken; }
    // verb: GET, PUT, POST or DELETE. An empty token (or no setToken) sends no Authorization.
    Reply request(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
        const Headers &headers = {}, int timeoutMs = 20000);

private:
    QNetworkAccessManager m_manager;
    QByteArray m_token;
};

} // namespace chattermesh::test

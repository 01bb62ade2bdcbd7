// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyHandler.h"

#include "ClientConnection.h"
#include "ConnectionRegistry.h"
#include "FrameDispatcher.h"
#include "Store.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

KeyHandler::KeyHandler(ServerContext context) : m_context(context) { }

void KeyHandler::registerRoutes(FrameDispatcher &dispatcher)
{
    using Access = FrameDispatcher::Access;
    dispatcher.add(proto::Frame::kUploadKeys, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onUploadKeys(c, f); });
    dispatcher.add(proto::Frame::kFetchBundles, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onFetchBundles(c, f); });
}

void KeyHandler::onUploadKeys(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 device = connection.deviceId();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit([device, keys = frame.upload_keys()](
                               StoreBackend &backend) { return backend.uploadKeys(device, keys); },
        [guard, requestId](StoreResult<quint32> stock) {
            if (!guard)
                return;
            if (!stock.ok())
                return guard->sendError(requestId, stock.error().code, stock.error().message);
            proto::Frame answer;
            answer.set_request_id(requestId);
            answer.mutable_keys_uploaded()->set_one_time_pre_keys(stock.value());
            guard->send(answer);
        });
}

void KeyHandler::onFetchBundles(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 device = connection.deviceId();
    const QString username = QString::fromStdString(frame.fetch_bundles().username());
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [device, username](StoreBackend &backend) { return backend.fetchBundles(device, username); },
        [this, guard, requestId](StoreResult<BundleFetch> fetched) {
            if (!fetched.ok()) {
                if (guard)
                    guard->sendError(requestId, fetched.error().code, fetched.error().message);
                return;
            }
            if (guard) {
                proto::Frame answer;
                answer.set_request_id(requestId);
                *answer.mutable_bundles() = fetched.value().bundles;
                guard->send(answer);
            }
            // A device that is online tops up now; one that is not learns it from its next Session.
            for (const auto &[device, left] : fetched.value().lowStock) {
                if (ClientConnection *owner = m_context.registry.forDevice(device)) {
                    proto::Frame low;
                    low.mutable_keys_low()->set_one_time_pre_keys(left);
                    owner->send(low);
                }
            }
        });
}

} // namespace chattermesh::server

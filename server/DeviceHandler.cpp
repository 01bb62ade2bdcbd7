// SPDX-License-Identifier: GPL-3.0-or-later
#include "DeviceHandler.h"

#include "ClientConnection.h"
#include "ConnectionRegistry.h"
#include "FrameDispatcher.h"
#include "ServerLog.h"
#include "Store.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

constexpr int kCloseDeviceRemoved = 4001;

} // namespace

DeviceHandler::DeviceHandler(ServerContext context) : m_context(context) { }

void DeviceHandler::registerRoutes(FrameDispatcher &dispatcher)
{
    using Access = FrameDispatcher::Access;
    dispatcher.add(proto::Frame::kListDevices, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onListDevices(c, f); });
    dispatcher.add(proto::Frame::kRemoveDevice, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onRemoveDevice(c, f); });
}

void DeviceHandler::onListDevices(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 user = connection.userId();
    const quint64 device = connection.deviceId();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [user, device](StoreBackend &backend) { return backend.listDevices(user, device); },
        [guard, requestId](StoreResult<std::vector<proto::Device>> devices) {
            if (!guard)
                return;
            if (!devices.ok())
                return guard->sendError(requestId, devices.error().code, devices.error().message);
            proto::Frame answer;
            answer.set_request_id(requestId);
            for (proto::Device &d : devices.value())
                *answer.mutable_device_list()->add_devices() = std::move(d);
            answer.mutable_device_list(); // an empty list is still a DeviceList
            guard->send(answer);
        });
}

void DeviceHandler::onRemoveDevice(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 user = connection.userId();
    const quint64 target = frame.remove_device().device_id();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [user, target](StoreBackend &backend) { return backend.removeDevice(user, target); },
        [this, guard, requestId, target](StoreResult<Unit> removed) {
            if (removed.ok()) {
                qCInfo(lcServer) << "device" << target << "removed";
                if (ClientConnection *live = m_context.registry.forDevice(target)) {
                    // The answer goes out first when the device removed itself.
                    if (live == guard) {
                        proto::Frame answer;
                        answer.set_request_id(requestId);
                        answer.mutable_device_removed()->set_device_id(target);
                        live->send(answer);
                    }
                    live->close(kCloseDeviceRemoved, u"device removed"_s);
                }
            }
            if (!guard || guard->isClosing())
                return;
            if (!removed.ok())
                return guard->sendError(requestId, removed.error().code, removed.error().message);
            proto::Frame answer;
            answer.set_request_id(requestId);
            answer.mutable_device_removed()->set_device_id(target);
            guard->send(answer);
        });
}

} // namespace chattermesh::server

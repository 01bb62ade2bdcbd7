// SPDX-License-Identifier: GPL-3.0-or-later
#include "MessageHandler.h"

#include "AssetService.h"
#include "ClientConnection.h"
#include "FrameDispatcher.h"
#include "InputRules.h"
#include "LiveDelivery.h"
#include "ServerConfig.h"
#include "ServerLog.h"
#include "ServerMetrics.h"
#include "Store.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

} // namespace

MessageHandler::MessageHandler(ServerContext context)
    : m_context(context), m_sendRate(context.config.sendRatePerMinute, context.config.sendBurst)
{
    m_clock.start();
}

void MessageHandler::registerRoutes(FrameDispatcher &dispatcher)
{
    using Access = FrameDispatcher::Access;
    dispatcher.add(proto::Frame::kSend, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onSend(c, f); });
    dispatcher.add(proto::Frame::kSync, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onSync(c, f); });
    dispatcher.add(proto::Frame::kDeliveryAck, Access::Authenticated,
        [this](ClientConnection &c, const proto::Frame &f) { onDeliveryAck(c, f); });
}

void MessageHandler::onSend(ClientConnection &connection, const proto::Frame &frame)
{
    const proto::Send &send = frame.send();
    const quint64 requestId = frame.request_id();
    // Monotonic, for the send→ack and send→deliver histograms.
    QElapsedTimer received;
    received.start();
    // First: a flood is refused before it costs any validation or store work. Every Send counts,
    // retries included (they cost the store a transaction too).
    if (const qint64 retryAfterMs = m_sendRate.take(connection.userId(), m_clock.elapsed())) {
        proto::Frame error = proto::errorFrame(requestId, proto::RATE_LIMITED,
            u"more than %1 messages per minute"_s.arg(m_context.config.sendRatePerMinute));
        error.mutable_error()->set_retry_after_ms(quint32(std::min<qint64>(retryAfterMs, UINT32_MAX)));
        return connection.send(error);
    }
    if (send.client_msg_id().size() != size_t(proto::kClientMsgIdBytes))
        return connection.sendError(requestId, proto::INVALID_ARGUMENT,
            u"client_msg_id must be %1 bytes"_s.arg(proto::kClientMsgIdBytes));
    const qint64 maxBytes = m_context.config.maxPayloadBytes;
    if (qint64(send.payload().size()) > maxBytes)
        return connection.sendError(
            requestId, proto::PAYLOAD_TOO_LARGE, u"payload exceeds %1 bytes"_s.arg(maxBytes));
    for (const proto::DevicePayload &p : send.key_distributions())
        if (qint64(p.ciphertext().size()) > maxBytes)
            return connection.sendError(
                requestId, proto::PAYLOAD_TOO_LARGE, u"key distribution exceeds %1 bytes"_s.arg(maxBytes));

    SendRequest request;
    switch (send.to_case()) {
    case proto::Send::kPeerUsername:
        request.peerUsername = QString::fromStdString(send.peer_username());
        break;
    case proto::Send::kConversationId:
        request.conversationId = send.conversation_id();
        break;
    case proto::Send::TO_NOT_SET:
        return connection.sendError(
            requestId, proto::INVALID_ARGUMENT, u"peer_username or conversation_id is required"_s);
    }
    request.senderUser = connection.userId();
    request.senderDevice = connection.deviceId();
    request.clientMsgId = send.client_msg_id();
    request.payload = send.payload();
    request.resendOf = send.resend_of();
    for (const proto::DevicePayload &p : send.device_payloads()) {
        if (qint64(p.ciphertext().size()) > m_context.config.maxPayloadBytes)
            return connection.sendError(requestId, proto::PAYLOAD_TOO_LARGE,
                u"ciphertext exceeds %1 bytes"_s.arg(m_context.config.maxPayloadBytes));
        if (!request.devicePayloads.emplace(p.device_id(), DeviceCiphertext { p.type(), p.ciphertext() })
                 .second)
            return connection.sendError(requestId, proto::INVALID_ARGUMENT, u"two payloads for one device"_s);
    }
    if (auto refused = senderKeyFields(send, request)) {
        return connection.sendError(requestId, proto::INVALID_ARGUMENT, *refused);
    }
    if (send.asset_ids_size() > InputRules::kMaxAssetIdsPerSend)
        return connection.sendError(requestId, proto::INVALID_ARGUMENT,
            u"at most %1 asset_ids per Send"_s.arg(InputRules::kMaxAssetIdsPerSend));
    QStringList assetIds;
    for (const std::string &id : send.asset_ids()) {
        assetIds.append(QString::fromStdString(id));
        if (!InputRules::validAssetId(assetIds.constLast()))
            return connection.sendError(
                requestId, proto::INVALID_ARGUMENT, u"an asset id is 32 lowercase hex digits"_s);
    }
    request.nowMs = QDateTime::currentMSecsSinceEpoch();

    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [request = std::move(request)](StoreBackend &backend) { return backend.send(request); },
        [this, guard, requestId, assetIds, received, senderUser = connection.userId()](
            StoreResult<SendOutcome> outcome) {
            if (!outcome.ok()) {
                if (guard)
                    guard->sendError(requestId, outcome.error().code, outcome.error().message);
                return;
            }
            const SendOutcome &sent = outcome.value();
            if (sent.mismatch) {
                if (guard) {
                    proto::Frame error = proto::errorFrame(
                        requestId, proto::STALE_DEVICES, u"the conversation's devices changed"_s);
                    *error.mutable_error()->mutable_mismatch() = *sent.mismatch;
                    guard->send(error);
                }
                return;
            }
            // The message is durable: its assets are now in use (a retry marks nothing new).
            m_context.assets.markReferenced(senderUser, assetIds);
            if (guard) {
                proto::Frame answer;
                answer.set_request_id(requestId);
                *answer.mutable_ack() = sent.ack;
                guard->send(answer);
                m_context.metrics.sendAcked(elapsedMs(received));
            }
            for (const Recipient &recipient : sent.recipients) {
                const bool pushed = m_context.delivery.offer(
                    recipient.deviceId, recipient.inboxSeq, [&sent, &recipient](quint64 inboxSeq) {
                        proto::MailboxEntry entry;
                        entry.set_inbox_seq(inboxSeq);
                        *entry.mutable_message() = sent.message;
                        if (auto it = sent.devicePayloads.find(recipient.deviceId);
                            it != sent.devicePayloads.end()) {
                            entry.mutable_message()->set_payload(it->second.ciphertext);
                            entry.mutable_message()->set_payload_type(it->second.type);
                        }
                        if (auto it = sent.keyDistributions.find(recipient.deviceId);
                            it != sent.keyDistributions.end()) {
                            proto::DevicePayload *key = entry.mutable_message()->mutable_key_distribution();
                            key->set_device_id(recipient.deviceId);
                            key->set_type(it->second.type);
                            key->set_ciphertext(it->second.ciphertext);
                        }
                        return entry;
                    });
                if (pushed)
                    m_context.metrics.sendDelivered(elapsedMs(received));
            }
        });
}

std::optional<QString> MessageHandler::senderKeyFields(const proto::Send &send, SendRequest &request)
{
    if (send.covered_devices().empty()) {
        if (!send.key_distributions().empty())
            return u"key_distributions need covered_devices"_s;
        return std::nullopt;
    }
    if (!send.device_payloads().empty())
        return u"device_payloads and covered_devices exclude each other"_s;
    if (!send.resend_of().empty())
        return u"a resend uses device_payloads"_s;
    request.payloadType = send.payload_type();
    for (quint64 device : send.covered_devices())
        request.coveredDevices.push_back(device);
    std::sort(request.coveredDevices.begin(), request.coveredDevices.end());
    if (std::adjacent_find(request.coveredDevices.begin(), request.coveredDevices.end())
        != request.coveredDevices.end())
        return u"a device is covered twice"_s;
    for (const proto::DevicePayload &p : send.key_distributions()) {
        if (!std::binary_search(request.coveredDevices.begin(), request.coveredDevices.end(), p.device_id()))
            return u"a key distribution for a device not in covered_devices"_s;
        if (!request.keyDistributions.emplace(p.device_id(), DeviceCiphertext { p.type(), p.ciphertext() })
                 .second)
            return u"two key distributions for one device"_s;
    }
    return std::nullopt;
}

void MessageHandler::onSync(ClientConnection &connection, const proto::Frame &frame)
{
    const quint64 requestId = frame.request_id();
    const quint64 device = connection.deviceId();
    const quint64 after = frame.sync().after_inbox_seq();
    if (after > quint64(std::numeric_limits<qint64>::max()))
        return connection.sendError(requestId, proto::INVALID_ARGUMENT, u"after_inbox_seq out of range"_s);
    const PageBound bound = m_context.config.syncPage();
    QPointer<ClientConnection> guard(&connection);
    m_context.store.submit(
        [device, after, bound](StoreBackend &backend) { return backend.mailbox(device, after, bound); },
        [this, guard, requestId, after](StoreResult<MailboxPage> page) {
            if (!guard || guard->isClosing())
                return;
            if (!page.ok())
                return guard->sendError(requestId, page.error().code, page.error().message);
            MailboxPage &result = page.value();
            // A cursor past the mailbox head (a restored client) must not silence future pushes.
            const quint64 last
                = result.entries.empty() ? std::min(after, result.head) : result.entries.back().inbox_seq();
            guard->noteHeld(std::min(after, result.head));
            proto::Frame answer;
            answer.set_request_id(requestId);
            proto::SyncBatch *batch = answer.mutable_sync_batch();
            for (proto::MailboxEntry &entry : result.entries)
                *batch->add_entries() = std::move(entry);
            batch->set_more(result.more);
            guard->send(answer);
            if (!result.more)
                m_context.delivery.synced(*guard, last);
        });
}

void MessageHandler::onDeliveryAck(ClientConnection &connection, const proto::Frame &frame)
{
    DeliveryAckRequest request;
    request.userId = connection.userId();
    request.deviceId = connection.deviceId();
    request.username = connection.username();
    request.upToInboxSeq = std::min<quint64>(frame.delivery_ack().up_to_inbox_seq(), connection.maxGiven());
    if (request.upToInboxSeq == 0)
        return;
    request.nowMs = QDateTime::currentMSecsSinceEpoch();
    const quint64 connectionId = connection.id();
    // No answer frame: the ack is cumulative, so a lost one is covered by the next.
    m_context.store.submit(
        [request = std::move(request)](StoreBackend &backend) { return backend.deliveryAck(request); },
        [this, connectionId](StoreResult<std::vector<MailboxPush>> pushes) {
            if (!pushes.ok()) {
                qCWarning(lcServer) << "conn" << connectionId << "delivery ack failed";
                return;
            }
            for (const MailboxPush &push : pushes.value())
                m_context.delivery.offer(push);
        });
}

} // namespace chattermesh::server

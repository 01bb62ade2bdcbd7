// SPDX-License-Identifier: GPL-3.0-or-later
#include "FrameBuilder.h"

namespace chattermesh::test {

proto::Frame FrameBuilder::hello(const QList<quint32> &versions)
{
    proto::Frame frame;
    for (quint32 version : versions)
        frame.mutable_hello()->add_protocol_versions(version);
    frame.mutable_hello()->set_client("chattermesh-test");
    return frame;
}

proto::Frame FrameBuilder::registerUser(const QString &user, const QString &password, const QString &device)
{
    proto::Frame frame;
    frame.mutable_register_()->set_username(user.toStdString());
    frame.mutable_register_()->set_password(password.toStdString());
    frame.mutable_register_()->set_device_name(device.toStdString());
    return frame;
}

proto::Frame FrameBuilder::sendTo(const QString &peer, const QByteArray &payload, const QByteArray &msgId)
{
    proto::Frame frame;
    frame.mutable_send()->set_client_msg_id(msgId.toStdString());
    frame.mutable_send()->set_peer_username(peer.toStdString());
    frame.mutable_send()->set_payload(payload.toStdString());
    frame.mutable_send()->set_client_time_ms(1);
    return frame;
}

proto::Frame FrameBuilder::sendToConversation(
    quint64 conversationId, const QByteArray &payload, const QByteArray &msgId)
{
    proto::Frame frame;
    frame.mutable_send()->set_client_msg_id(msgId.toStdString());
    frame.mutable_send()->set_conversation_id(conversationId);
    frame.mutable_send()->set_payload(payload.toStdString());
    frame.mutable_send()->set_client_time_ms(1);
    return frame;
}

proto::Frame FrameBuilder::sync(quint64 afterInboxSeq)
{
    proto::Frame frame;
    frame.mutable_sync()->set_after_inbox_seq(afterInboxSeq);
    return frame;
}

proto::Frame FrameBuilder::deliveryAck(quint64 upToInboxSeq)
{
    proto::Frame frame;
    frame.mutable_delivery_ack()->set_up_to_inbox_seq(upToInboxSeq);
    return frame;
}

proto::Frame FrameBuilder::ping(qint64 timeMs)
{
    proto::Frame frame;
    frame.mutable_ping()->set_time_ms(timeMs);
    return frame;
}

proto::Frame FrameBuilder::listDevices()
{
    proto::Frame frame;
    frame.mutable_list_devices();
    return frame;
}

proto::Frame FrameBuilder::removeDevice(quint64 deviceId)
{
    proto::Frame frame;
    frame.mutable_remove_device()->set_device_id(deviceId);
    return frame;
}

QByteArray FrameBuilder::truncatedFrame()
{
    // Field 3 (hello), length-delimited, claims 16 bytes; only 3 follow.
    return QByteArray("\x1a\x10"
                      "abc",
        5);
}

QByteArray FrameBuilder::unknownBodyFrame(quint64 requestId)
{
    proto::Frame head;
    head.set_request_id(requestId);
    // Tag of field 999, wire type 2: varint(999 << 3 | 2) = 0xba 0x3e; then length 2 and "hi".
    return proto::encodeFrame(head) + QByteArray("\xba\x3e\x02hi", 5);
}

} // namespace chattermesh::test

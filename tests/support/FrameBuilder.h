// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameCodec.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace chattermesh::test {

// Ready-made request frames, well-formed or deliberately not, so tests say what they send in one
// line. request_id is left 0: RawClient::send() assigns one.
class FrameBuilder {
public:
    static proto::Frame hello(const QList<quint32> &versions = { proto::kProtocolVersion });
    static proto::Frame registerUser(const QString &user, const QString &password, const QString &device);
    static proto::Frame sendTo(const QString &peer, const QByteArray &payload, const QByteArray &msgId);
    static proto::Frame sendToConversation(
        quint64 conversationId, const QByteArray &payload, const QByteArray &msgId);
    static proto::Frame sync(quint64 afterInboxSeq);
    static proto::Frame deliveryAck(quint64 upToInboxSeq);
    static proto::Frame ping(qint64 timeMs);
    static proto::Frame listDevices();
    static proto::Frame removeDevice(quint64 deviceId);

    // Raw bytes: a Frame whose length-delimited field runs past the end of the message.
    static QByteArray truncatedFrame();
    // Raw bytes: a Frame with the given request_id and a body in field 999, unknown to v1.
    static QByteArray unknownBodyFrame(quint64 requestId);
};

} // namespace chattermesh::test

// SPDX-License-Identifier: GPL-3.0-or-later
#include "FrameCodec.h"

namespace chattermesh::proto {

FrameResult decodeFrame(const QByteArray &bytes, qsizetype maxBytes)
{
    if (bytes.size() > maxBytes)
        return Failure<ErrorCode> { PAYLOAD_TOO_LARGE,
            QStringLiteral("frame of %1 bytes exceeds %2").arg(bytes.size()).arg(maxBytes) };
    Frame frame;
    if (!frame.ParseFromArray(bytes.constData(), int(bytes.size())))
        return Failure<ErrorCode> { MALFORMED_FRAME, QStringLiteral("frame does not parse") };
    if (frame.body_case() == Frame::BODY_NOT_SET) {
        // A body this version does not know lands in the unknown fields; an empty frame has none.
        if (!frame.GetReflection()->GetUnknownFields(frame).empty())
            return Failure<ErrorCode> { UNKNOWN_FRAME, QStringLiteral("unknown frame type") };
        return Failure<ErrorCode> { MALFORMED_FRAME, QStringLiteral("frame has no body") };
    }
    return frame;
}

QByteArray encodeFrame(const Frame &frame)
{
    QByteArray out(qsizetype(frame.ByteSizeLong()), Qt::Uninitialized);
    frame.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t *>(out.data()));
    return out;
}

Frame errorFrame(quint64 requestId, ErrorCode code, const QString &message)
{
    Frame f;
    f.set_request_id(requestId);
    f.mutable_error()->set_code(code);
    f.mutable_error()->set_message(message.toStdString());
    return f;
}

const char *bodyName(const Frame &frame)
{
    if (frame.body_case() == Frame::BODY_NOT_SET)
        return "none";
    return Frame::descriptor()->FindFieldByNumber(int(frame.body_case()))->name().c_str();
}

} // namespace chattermesh::proto

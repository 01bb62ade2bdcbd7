// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "chattermesh.pb.h"

#include <QByteArray>

namespace chattermesh::proto {

inline constexpr quint32 kProtocolVersion = 1;
inline constexpr int kClientMsgIdBytes = 16;
// Every client reads frames up to this size; a server never sends a SyncBatch larger than this or
// than its own max_frame_bytes, whichever is smaller (docs/protocol.md, *Sync*).
inline constexpr qint64 kClientFrameBytes = 8 * 1024 * 1024;

using FrameResult = Result<Frame, ErrorCode>;

// Parses one WebSocket binary message. Returns MALFORMED_FRAME for bytes that are not a Frame,
// UNKNOWN_FRAME for a Frame whose body this build does not know (unknown oneof field number),
// PAYLOAD_TOO_LARGE above maxBytes.
FrameResult decodeFrame(const QByteArray &bytes, qsizetype maxBytes);
QByteArray encodeFrame(const Frame &frame);

Frame errorFrame(quint64 requestId, ErrorCode code, const QString &message);
const char *bodyName(const Frame &frame);

} // namespace chattermesh::proto

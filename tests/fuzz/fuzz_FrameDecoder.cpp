// SPDX-License-Identifier: GPL-3.0-or-later
// The frame decoder both ends run on every WebSocket message: arbitrary bytes must give a Frame
// that survives a round trip, or a typed error, never a crash or a silent half-success.
#include "FrameCodec.h"
#include "FuzzCheck.h"
#include "QuietLogs.h"

#include <google/protobuf/util/message_differencer.h>

using namespace chattermesh;

namespace {

// Small enough that the fuzzer crosses it often; the decoder's check does not depend on the figure.
constexpr qsizetype kLimit = 4096;

void checkDecoded(const proto::Frame &frame)
{
    FUZZ_CHECK(frame.body_case() != proto::Frame::BODY_NOT_SET, "a decoded frame has a body");
    FUZZ_CHECK(std::string_view(proto::bodyName(frame)) != "none", "a decoded body has a name");
    const QByteArray again = proto::encodeFrame(frame);
    const proto::FrameResult redecoded = proto::decodeFrame(again, again.size());
    FUZZ_CHECK(redecoded.ok(), "a decoded frame re-encodes to bytes that decode");
    FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(frame, redecoded.value()),
        "a decoded frame survives encode and decode unchanged");
    FUZZ_CHECK(proto::encodeFrame(redecoded.value()).size() == again.size(), "re-encoding is stable in size");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::quietLogs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const proto::FrameResult decoded = proto::decodeFrame(bytes, kLimit);
    if (decoded.ok()) {
        FUZZ_CHECK(bytes.size() <= kLimit, "nothing above the limit is accepted");
        checkDecoded(decoded.value());
        // One byte less of allowance turns the same bytes into PAYLOAD_TOO_LARGE, and nothing else.
        const proto::FrameResult tight = proto::decodeFrame(bytes, bytes.size() - 1);
        FUZZ_CHECK(
            !tight.ok() && tight.error().code == proto::PAYLOAD_TOO_LARGE, "the limit is checked first");
        return 0;
    }
    const auto code = decoded.error().code;
    FUZZ_CHECK(
        code == proto::MALFORMED_FRAME || code == proto::UNKNOWN_FRAME || code == proto::PAYLOAD_TOO_LARGE,
        "a refused frame gets one of the decoder's three codes");
    FUZZ_CHECK(!decoded.error().message.isEmpty(), "a refusal says why");
    FUZZ_CHECK(
        (code == proto::PAYLOAD_TOO_LARGE) == (bytes.size() > kLimit), "too large exactly above the limit");
    if (code == proto::UNKNOWN_FRAME) {
        // The server answers an unknown body with the request id it can still read (Server::onBinary).
        proto::Frame partial;
        FUZZ_CHECK(
            partial.ParseFromArray(bytes.constData(), int(bytes.size())), "an unknown body still parses");
        FUZZ_CHECK(partial.body_case() == proto::Frame::BODY_NOT_SET, "an unknown body is not a known one");
    }
    // The answer the server sends back is itself a frame that decodes.
    const QByteArray answer = proto::encodeFrame(proto::errorFrame(7, code, decoded.error().message));
    const proto::FrameResult answered = proto::decodeFrame(answer, answer.size());
    FUZZ_CHECK(answered.ok() && answered.value().has_error() && answered.value().error().code() == code,
        "the error answer decodes with its code");
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/): a valid frame of every
// body type, the request sequences a real client sends, and asset uploads that run to the end. Run
// it again after the protocol changes; the files are committed.
//   fuzz_corpus_generator tests/fuzz/corpus
#include "FrameCodec.h"
#include "FuzzInput.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <cstdio>

using namespace chattermesh;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using namespace Qt::StringLiterals;

namespace {

QDir g_root;

void write(const QString &target, const QString &name, const QByteArray &bytes)
{
    QDir dir(g_root.filePath(target));
    dir.mkpath(u"."_s);
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(f.fileName()));
        std::exit(1);
    }
}

// Sample values that the fixtures of the targets give meaning to: user "bob", conversation 2 (the
// server target's group of alice and bob), inbox_seq 1, protocol version 1.
void fill(Message &message, int depth)
{
    const auto *descriptor = message.GetDescriptor();
    const auto *reflection = message.GetReflection();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const FieldDescriptor *field = descriptor->field(i);
        // One member of a oneof: the first.
        if (const auto *oneof = field->containing_oneof(); oneof && oneof->field(0) != field)
            continue;
        const bool repeated = field->is_repeated();
        const std::string &name = field->name();
        switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
            if (depth < 4) {
                Message *child = repeated ? reflection->AddMessage(&message, field)
                                          : reflection->MutableMessage(&message, field);
                fill(*child, depth + 1);
            }
            break;
        case FieldDescriptor::CPPTYPE_STRING: {
            std::string value
                = name.find("user") != std::string::npos || name == "members" || name == "sender"
                ? std::string("bob")
                : field->type() == FieldDescriptor::TYPE_BYTES ? std::string(16, 'k')
                                                               : std::string("fuzz seed");
            if (name == "title")
                value = "seed group";
            repeated ? reflection->AddString(&message, field, value)
                     : reflection->SetString(&message, field, value);
            break;
        }
        case FieldDescriptor::CPPTYPE_UINT64: {
            const quint64 value = name == "conversation_id" ? 2 : 1;
            repeated ? reflection->AddUInt64(&message, field, value)
                     : reflection->SetUInt64(&message, field, value);
            break;
        }
        case FieldDescriptor::CPPTYPE_UINT32:
            repeated ? reflection->AddUInt32(&message, field, 1) : reflection->SetUInt32(&message, field, 1);
            break;
        case FieldDescriptor::CPPTYPE_INT64:
            repeated ? reflection->AddInt64(&message, field, 1'700'000'000'000)
                     : reflection->SetInt64(&message, field, 1'700'000'000'000);
            break;
        case FieldDescriptor::CPPTYPE_INT32:
            repeated ? reflection->AddInt32(&message, field, 1) : reflection->SetInt32(&message, field, 1);
            break;
        case FieldDescriptor::CPPTYPE_BOOL:
            repeated ? reflection->AddBool(&message, field, true)
                     : reflection->SetBool(&message, field, true);
            break;
        case FieldDescriptor::CPPTYPE_ENUM: {
            const auto *value = field->enum_type()->value(std::min(1, field->enum_type()->value_count() - 1));
            repeated ? reflection->AddEnum(&message, field, value)
                     : reflection->SetEnum(&message, field, value);
            break;
        }
        default:
            break;
        }
    }
}

// A frame of each body type, filled with the sample values; request_id 7.
QList<proto::Frame> everyBody()
{
    QList<proto::Frame> frames;
    const auto *oneof = proto::Frame::descriptor()->FindOneofByName("body");
    for (int i = 0; i < oneof->field_count(); ++i) {
        proto::Frame frame;
        frame.set_request_id(7);
        fill(*frame.GetReflection()->MutableMessage(&frame, oneof->field(i)), 1);
        frames.append(frame);
    }
    return frames;
}

bool fromClient(const proto::Frame &f)
{
    switch (f.body_case()) {
    case proto::Frame::kError:
    case proto::Frame::kWelcome:
    case proto::Frame::kSession:
    case proto::Frame::kDeviceList:
    case proto::Frame::kDeviceRemoved:
    case proto::Frame::kAck:
    case proto::Frame::kDeliver:
    case proto::Frame::kSyncBatch:
    case proto::Frame::kPong:
    case proto::Frame::kKeysUploaded:
    case proto::Frame::kKeysLow:
    case proto::Frame::kBundles:
    case proto::Frame::kGroupInfo:
    case proto::Frame::kReadMarker:
    case proto::Frame::kPresenceList:
    case proto::Frame::kSettings:
        return false;
    default:
        return true;
    }
}

QByteArray records(const QList<proto::Frame> &frames)
{
    QByteArray out;
    for (const proto::Frame &f : frames)
        out += fuzz::FuzzInput::encodeRecord(proto::encodeFrame(f));
    return out;
}

QString fileName(const proto::Frame &f)
{
    return QString::fromLatin1(proto::bodyName(f));
}

proto::Frame deliverText(quint64 inboxSeq, quint64 seq, const char *text)
{
    proto::Frame f;
    auto *entry = f.mutable_deliver()->mutable_entry();
    entry->set_inbox_seq(inboxSeq);
    auto *m = entry->mutable_message();
    m->mutable_conversation()->set_conversation_id(1);
    m->mutable_conversation()->add_members("alice");
    m->mutable_conversation()->add_members("bob");
    m->set_seq(seq);
    m->set_sender("bob");
    m->set_sender_device(2);
    m->set_client_msg_id(std::string(16, char('a' + inboxSeq)));
    m->set_server_time_ms(1'700'000'000'000);
    m->set_payload(text);
    return f;
}

void frameDecoderSeeds(const QList<proto::Frame> &all)
{
    for (const proto::Frame &f : all)
        write(u"frame_decoder"_s, fileName(f), proto::encodeFrame(f));
    // Field 3 (hello) claims 16 bytes and 3 follow; field 999 is a body v1 does not know.
    write(u"frame_decoder"_s, u"truncated"_s,
        QByteArray("\x1a\x10"
                   "abc",
            5));
    write(u"frame_decoder"_s, u"unknown_body"_s, QByteArray("\x08\x07\xba\x3e\x02hi", 6));
}

void serverSeeds(const QList<proto::Frame> &all)
{
    // Phase bytes: 1 after Hello, 2 signed in as alice, 3 as bob (fuzz_ServerRequests.cpp).
    for (const proto::Frame &f : all) {
        if (!fromClient(f))
            continue;
        const char phase = f.has_register_() || f.has_login() || f.has_resume() || f.has_hello() ? 1 : 2;
        write(u"server_requests"_s, fileName(f), QByteArray(1, phase) + records({ f }));
    }
    proto::Frame hello;
    hello.mutable_hello()->add_protocol_versions(proto::kProtocolVersion);
    proto::Frame reg;
    reg.mutable_register_()->set_username("carol");
    reg.mutable_register_()->set_password("long enough");
    reg.mutable_register_()->set_device_name("seed");
    write(u"server_requests"_s, u"hello_register"_s, QByteArray(1, 0) + records({ hello, reg }));
    proto::Frame login = reg;
    login.mutable_login()->set_username("alice");
    login.mutable_login()->set_password("correct horse");
    login.mutable_login()->set_device_name("seed");
    write(u"server_requests"_s, u"login"_s, QByteArray(1, 1) + records({ login }));
    // bob syncs the fixture's message and acknowledges it, then reads it.
    proto::Frame sync;
    sync.mutable_sync();
    proto::Frame ack;
    ack.mutable_delivery_ack()->set_up_to_inbox_seq(1);
    proto::Frame read;
    read.mutable_mark_read()->set_conversation_id(1);
    read.mutable_mark_read()->set_up_to_seq(1);
    write(u"server_requests"_s, u"bob_sync_ack_read"_s, QByteArray(1, 3) + records({ sync, ack, read }));
    // alice sends 1:1 and to the group, then renames and changes the group.
    proto::Frame send;
    send.mutable_send()->set_client_msg_id(std::string(16, 's'));
    send.mutable_send()->set_peer_username("bob");
    send.mutable_send()->set_payload("hi");
    proto::Frame groupSend;
    groupSend.mutable_send()->set_client_msg_id(std::string(16, 'g'));
    groupSend.mutable_send()->set_conversation_id(2);
    groupSend.mutable_send()->set_payload("hi all");
    proto::Frame rename;
    rename.mutable_group_change()->set_conversation_id(2);
    rename.mutable_group_change()->set_op(proto::RENAMED);
    rename.mutable_group_change()->set_title("renamed");
    proto::Frame promote;
    promote.mutable_group_change()->set_conversation_id(2);
    promote.mutable_group_change()->set_op(proto::PROMOTED);
    promote.mutable_group_change()->add_usernames("bob");
    write(u"server_requests"_s, u"alice_send_group"_s,
        QByteArray(1, 2) + records({ send, groupSend, rename, promote }));
    // Bad bytes in the middle of a session.
    write(u"server_requests"_s, u"malformed_after_hello"_s,
        QByteArray(1, 1)
            + fuzz::FuzzInput::encodeRecord(QByteArray("\x1a\x10"
                                                       "abc",
                5)));
}

void clientSeeds(const QList<proto::Frame> &all)
{
    for (const proto::Frame &f : all)
        if (!fromClient(f) || f.has_typing() || f.has_presence() || f.has_ping())
            write(u"client_frames"_s, fileName(f), records({ f }));
    // A catch-up of two messages, then a live one, then a read receipt for something alice sent.
    proto::Frame batch;
    *batch.mutable_sync_batch()->add_entries() = deliverText(1, 1, "one").deliver().entry();
    *batch.mutable_sync_batch()->add_entries() = deliverText(2, 2, "two").deliver().entry();
    batch.mutable_sync_batch()->set_more(false);
    proto::Frame receipt;
    auto *entry = receipt.mutable_deliver()->mutable_entry();
    entry->set_inbox_seq(4);
    entry->mutable_receipt()->set_conversation_id(1);
    entry->mutable_receipt()->set_seq(1);
    entry->mutable_receipt()->set_by_user("bob");
    entry->mutable_receipt()->set_status(proto::READ);
    write(u"client_frames"_s, u"sync_then_live"_s, records({ batch, deliverText(3, 3, "three"), receipt }));
    // A gap: inbox_seq 9 after 1.
    write(u"client_frames"_s, u"gap"_s, records({ deliverText(1, 1, "one"), deliverText(9, 9, "nine") }));
}

QByteArray op(quint8 code, const QList<QByteArray> &fields, const QByteArray &between = {})
{
    QByteArray out(1, char(code));
    out += between;
    for (const QByteArray &f : fields)
        out += fuzz::FuzzInput::encodeRecord(f);
    return out;
}

void assetSeeds()
{
    // Operation codes of fuzz_AssetUpload.cpp: 0 create, 1 put, 2 offset, 3 finish, 4 download,
    // 5 remove, 6 authenticate, 7 parse a Range. A pick byte 0 is the first upload of the input.
    const QByteArray pickFirst(1, '\0');
    const QByteArray blob = "0123456789abcdef0123456789";
    const QByteArray digest = QCryptographicHash::hash(blob, QCryptographicHash::Sha256).toHex();
    QByteArray whole = op(0, { R"({"kind":"file","size":26})" });
    whole += op(1, { "offset=0", blob.left(10) }, pickFirst);
    whole += op(2, {}, pickFirst);
    whole += op(1, { "offset=10", blob.mid(10) }, pickFirst);
    whole += op(3, { R"({"digest":")" + digest + R"("})" }, pickFirst);
    whole += op(4, { "bytes=3-9" }, pickFirst);
    whole += op(4, { "" }, pickFirst);
    whole += op(5, {}, pickFirst);
    write(u"asset_upload"_s, u"upload_finish_download"_s, whole);
    QByteArray wrong = op(0, { R"({"kind":"image","size":4})" });
    wrong += op(1, { "offset=2", "ab" }, pickFirst);
    wrong += op(1, { "offset=0", "abcdef" }, pickFirst);
    wrong += op(3, { R"({"digest":"00"})" }, pickFirst);
    wrong += op(4, { "bytes=-5" }, pickFirst);
    write(u"asset_upload"_s, u"refusals"_s, wrong);
    write(u"asset_upload"_s, u"create_bad_json"_s,
        op(0, { R"({"kind":"video","size":1.5})" }) + op(0, { "[1,2]" })
            + op(0, { R"({"kind":"voice","size":1e300})" }));
    write(u"asset_upload"_s, u"unknown_id"_s, op(2, { "ffff" }, QByteArray(1, '\xff')));
    write(u"asset_upload"_s, u"bearer"_s, op(6, { "Bearer abcdef" }) + op(6, { "Basic x" }));
    write(u"asset_upload"_s, u"ranges"_s,
        op(7, { "bytes=0-99" }, {}) + QByteArray("\x10\x00\x01\x00\x04", 5) + op(7, { "bytes=5-" }, {})
            + QByteArray("\x10\x00\x01\x00\x04", 5));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_ROOT\n", argv[0]);
        return 2;
    }
    g_root = QDir(QString::fromLocal8Bit(argv[1]));
    const QList<proto::Frame> all = everyBody();
    frameDecoderSeeds(all);
    serverSeeds(all);
    clientSeeds(all);
    assetSeeds();
    return 0;
}

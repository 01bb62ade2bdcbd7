// SPDX-License-Identifier: GPL-3.0-or-later
// The real server against bad input and the protocol's promises: every bad request gets its typed
// error (or a close with a reason), and the server keeps serving healthy clients afterwards.
#include "FrameBuilder.h"
#include "RawClient.h"
#include "ServerProcess.h"

#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace chattermesh;
using chattermesh::test::FrameBuilder;
using chattermesh::test::RawClient;
using chattermesh::test::ServerProcess;

namespace {

const QString kPassword = u"correct horse battery"_s;

struct User {
    std::unique_ptr<RawClient> client;
    proto::Session session;
    QString name;
};

proto::ErrorCode errorOf(const std::optional<proto::Frame> &frame)
{
    return frame && frame->has_error() ? frame->error().code() : proto::ERROR_NONE;
}

} // namespace

class tst_ServerBadInput : public QObject {
    Q_OBJECT

    std::unique_ptr<ServerProcess> m_server;
    int m_names = 0;

    QString uniqueName(const QString &role) { return u"%1%2"_s.arg(role).arg(++m_names); }

    std::unique_ptr<RawClient> connected(const ServerProcess &server)
    {
        auto client = std::make_unique<RawClient>();
        if (!client->open(server.url()) || !client->hello())
            return nullptr;
        return client;
    }

    // Both return false with a warning, so callers can QVERIFY them.
    bool signUp(const ServerProcess &server, User &user, const QString &role)
    {
        user.name = uniqueName(role);
        user.client = connected(server);
        const auto session
            = user.client ? user.client->registerUser(user.name, kPassword, u"laptop"_s) : std::nullopt;
        if (!session || session->token().empty()
            || QString::fromStdString(session->username()) != user.name) {
            qWarning("register of %s failed", qPrintable(user.name));
            return false;
        }
        user.session = *session;
        return true;
    }

    bool signIn(const ServerProcess &server, User &user, const QString &name)
    {
        user.name = name;
        user.client = connected(server);
        const auto session = user.client ? user.client->login(name, kPassword, u"phone"_s) : std::nullopt;
        if (!session) {
            qWarning("login of %s failed", qPrintable(name));
            return false;
        }
        user.session = *session;
        return true;
    }

    // A fresh pair of users still gets a message through: Alice sends, Bob syncs and finds it.
    void healthy(const ServerProcess &server)
    {
        QVERIFY2(server.running(), server.logs().constData());
        User alice, bob;
        QVERIFY(signUp(server, alice, u"alice"_s) && signUp(server, bob, u"bob"_s));
        const QByteArray id = test::randomMsgId();
        const auto ack = alice.client->request(FrameBuilder::sendTo(bob.name, "still alive", id));
        QVERIFY(ack && ack->has_ack());
        QVERIFY(!ack->ack().duplicate());
        const auto batch = bob.client->request(FrameBuilder::sync(0));
        QVERIFY(batch && batch->has_sync_batch());
        QCOMPARE(batch->sync_batch().entries_size(), 1);
        const proto::Message &message = batch->sync_batch().entries(0).message();
        QCOMPARE(message.payload(), std::string("still alive"));
        QCOMPARE(QString::fromStdString(message.sender()), alice.name);
        QCOMPARE(message.client_msg_id(), id.toStdString());
        QCOMPARE(message.seq(), ack->ack().seq());
    }

    void expectError(RawClient &client, proto::Frame frame, proto::ErrorCode code)
    {
        const auto answer = client.request(std::move(frame));
        QVERIFY2(answer, "no answer");
        QVERIFY2(answer->has_error(), proto::bodyName(*answer));
        QCOMPARE(proto::ErrorCode_Name(answer->error().code()), proto::ErrorCode_Name(code));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        QVERIFY(m_server->start());
    }

    void cleanupTestCase() { QCOMPARE(m_server->terminate(), 0); }

    void malformedProtobuf()
    {
        auto client = connected(*m_server);
        QVERIFY(client);
        client->sendBytes(FrameBuilder::truncatedFrame());
        const auto answer = client->next();
        QVERIFY(answer);
        QCOMPARE(errorOf(answer), proto::MALFORMED_FRAME);
        QCOMPARE(answer->request_id(), quint64(0));
        QVERIFY(client->isOpen());
        healthy(*m_server);
    }

    void unknownFrameType()
    {
        auto client = connected(*m_server);
        QVERIFY(client);
        client->sendBytes(FrameBuilder::unknownBodyFrame(42));
        const auto answer = client->next();
        QVERIFY(answer);
        QCOMPARE(errorOf(answer), proto::UNKNOWN_FRAME);
        QCOMPARE(answer->request_id(), quint64(42));
        // A server-to-client body is not a request either.
        proto::Frame welcome;
        welcome.mutable_welcome()->set_protocol_version(1);
        expectError(*client, welcome, proto::UNKNOWN_FRAME);
        QVERIFY(client->isOpen());
        healthy(*m_server);
    }

    void oversizedFrame()
    {
        ServerProcess server({ u"--max-frame-bytes"_s, u"65536"_s, u"--max-payload-bytes"_s, u"16384"_s });
        QVERIFY(server.start());
        auto client = connected(server);
        QVERIFY(client);
        client->sendBytes(QByteArray(100 * 1024, 'x'));
        QVERIFY(client->waitClosed());
        QCOMPARE(client->closeCode(), 1009);
        QVERIFY(!client->closeReason().isEmpty());
        healthy(server);
    }

    void payloadTooLarge()
    {
        User alice;
        QVERIFY(signUp(*m_server, alice, u"alice"_s));
        expectError(*alice.client,
            FrameBuilder::sendTo(u"nobody"_s, QByteArray(262144 + 1, 'p'), test::randomMsgId()),
            proto::PAYLOAD_TOO_LARGE);
        healthy(*m_server);
    }

    void textMessage()
    {
        auto client = connected(*m_server);
        QVERIFY(client);
        client->sendText(u"hello?"_s);
        const auto answer = client->next();
        QCOMPARE(errorOf(answer), proto::MALFORMED_FRAME);
        QVERIFY(client->isOpen());
        healthy(*m_server);
    }

    void requestBeforeHello()
    {
        RawClient client;
        QVERIFY(client.open(m_server->url()));
        expectError(client, FrameBuilder::registerUser(u"early"_s, kPassword, u"d"_s), proto::HELLO_REQUIRED);
        expectError(client, FrameBuilder::sync(0), proto::HELLO_REQUIRED);
        // Ping works in any state.
        const auto pong = client.request(FrameBuilder::ping(1234));
        QVERIFY(pong && pong->has_pong());
        QCOMPARE(pong->pong().time_ms(), qint64(1234));
        QVERIFY(client.isOpen());
        QVERIFY(client.hello());
        healthy(*m_server);
    }

    void requestsBeforeAuthentication()
    {
        auto client = connected(*m_server);
        QVERIFY(client);
        expectError(
            *client, FrameBuilder::sendTo(u"someone"_s, "x", test::randomMsgId()), proto::NOT_AUTHENTICATED);
        expectError(*client, FrameBuilder::sync(0), proto::NOT_AUTHENTICATED);
        expectError(*client, FrameBuilder::listDevices(), proto::NOT_AUTHENTICATED);
        QVERIFY(client->isOpen());
        healthy(*m_server);
    }

    void unsupportedVersion()
    {
        RawClient client;
        QVERIFY(client.open(m_server->url()));
        expectError(client, FrameBuilder::hello({ 2, 99 }), proto::UNSUPPORTED_VERSION);
        QVERIFY(client.waitClosed());
        QCOMPARE(client.closeCode(), 1002);
        QCOMPARE(client.closeReason(), u"unsupported protocol version"_s);
        healthy(*m_server);
    }

    void secondHelloAndSecondAuthentication()
    {
        User alice;
        QVERIFY(signUp(*m_server, alice, u"alice"_s));
        expectError(*alice.client, FrameBuilder::hello(), proto::INVALID_ARGUMENT);
        proto::Frame resume;
        resume.mutable_resume()->set_token(alice.session.token());
        expectError(*alice.client, resume, proto::ALREADY_AUTHENTICATED);
        healthy(*m_server);
    }

    void wrongPassword()
    {
        User alice;
        QVERIFY(signUp(*m_server, alice, u"alice"_s));
        auto other = connected(*m_server);
        QVERIFY(other);
        QVERIFY(!other->login(alice.name, u"not the password"_s, u"thief"_s));
        QCOMPARE(errorOf(other->lastAnswer()), proto::INVALID_CREDENTIALS);
        QVERIFY(other->isOpen());
        healthy(*m_server);
    }

    void unknownUserLogin()
    {
        auto client = connected(*m_server);
        QVERIFY(client);
        QVERIFY(!client->login(u"nobody-here"_s, kPassword, u"phone"_s));
        QCOMPARE(errorOf(client->lastAnswer()), proto::INVALID_CREDENTIALS);
        healthy(*m_server);
    }

    void forgedToken()
    {
        auto client = connected(*m_server);
        QVERIFY(client);
        QVERIFY(!client->resume(u"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s));
        QCOMPARE(errorOf(client->lastAnswer()), proto::INVALID_TOKEN);
        QVERIFY(!client->resume(QString()));
        QCOMPARE(errorOf(client->lastAnswer()), proto::INVALID_TOKEN);
        healthy(*m_server);
    }

    void expiredToken()
    {
        ServerProcess server({ u"--token-ttl-seconds"_s, u"0"_s });
        QVERIFY(server.start());
        User alice;
        QVERIFY(signUp(server, alice, u"alice"_s));
        auto again = connected(server);
        QVERIFY(again);
        QVERIFY(!again->resume(QString::fromStdString(alice.session.token())));
        QCOMPARE(errorOf(again->lastAnswer()), proto::TOKEN_EXPIRED);
        healthy(server);
    }

    void sendToUnknownUser()
    {
        User alice;
        QVERIFY(signUp(*m_server, alice, u"alice"_s));
        expectError(*alice.client, FrameBuilder::sendTo(u"ghost-user"_s, "hi", test::randomMsgId()),
            proto::USER_NOT_FOUND);
        expectError(*alice.client, FrameBuilder::sendTo(alice.name, "me", test::randomMsgId()),
            proto::INVALID_ARGUMENT);
        healthy(*m_server);
    }

    void sendToUnknownConversation()
    {
        User alice, bob, carol;
        QVERIFY(signUp(*m_server, alice, u"alice"_s) && signUp(*m_server, bob, u"bob"_s));
        QVERIFY(signUp(*m_server, carol, u"carol"_s));
        expectError(*alice.client, FrameBuilder::sendToConversation(999999, "hi", test::randomMsgId()),
            proto::CONVERSATION_NOT_FOUND);
        // An existing conversation the sender is not a member of looks the same.
        const auto ack = alice.client->request(FrameBuilder::sendTo(bob.name, "hi bob", test::randomMsgId()));
        QVERIFY(ack && ack->has_ack());
        const proto::Frame byIdFrame
            = FrameBuilder::sendToConversation(ack->ack().conversation_id(), "by id", test::randomMsgId());
        expectError(*carol.client, byIdFrame, proto::CONVERSATION_NOT_FOUND);
        // ... while a member can use the id.
        const auto byId = bob.client->request(byIdFrame);
        QVERIFY(byId && byId->has_ack());
        QCOMPARE(byId->ack().conversation_id(), ack->ack().conversation_id());
        QCOMPARE(byId->ack().seq(), ack->ack().seq() + 1);
        healthy(*m_server);
    }

    void badClientMsgIdLength()
    {
        User alice, bob;
        QVERIFY(signUp(*m_server, alice, u"alice"_s) && signUp(*m_server, bob, u"bob"_s));
        expectError(*alice.client, FrameBuilder::sendTo(bob.name, "hi", QByteArray(15, 'a')),
            proto::INVALID_ARGUMENT);
        expectError(*alice.client, FrameBuilder::sendTo(bob.name, "hi", QByteArray(17, 'a')),
            proto::INVALID_ARGUMENT);
        expectError(
            *alice.client, FrameBuilder::sendTo(bob.name, "hi", QByteArray()), proto::INVALID_ARGUMENT);
        healthy(*m_server);
    }

    void duplicateUsername()
    {
        User alice;
        QVERIFY(signUp(*m_server, alice, u"alice"_s));
        auto other = connected(*m_server);
        QVERIFY(other);
        QVERIFY(!other->registerUser(alice.name, u"another password"_s, u"pc"_s));
        QCOMPARE(errorOf(other->lastAnswer()), proto::USERNAME_TAKEN);
        QVERIFY(!other->registerUser(u"NO CAPS"_s, kPassword, u"pc"_s));
        QCOMPARE(errorOf(other->lastAnswer()), proto::INVALID_ARGUMENT);
        QVERIFY(!other->registerUser(uniqueName(u"short"_s), u"short"_s, u"pc"_s));
        QCOMPARE(errorOf(other->lastAnswer()), proto::INVALID_ARGUMENT);
        healthy(*m_server);
    }

    void duplicateSendIsExactlyOnce()
    {
        User alice, bob;
        QVERIFY(signUp(*m_server, alice, u"alice"_s) && signUp(*m_server, bob, u"bob"_s));
        const QByteArray id = test::randomMsgId();
        const auto first = alice.client->request(FrameBuilder::sendTo(bob.name, "once", id));
        const auto retry = alice.client->request(FrameBuilder::sendTo(bob.name, "once", id));
        QVERIFY(first && first->has_ack() && retry && retry->has_ack());
        QVERIFY(!first->ack().duplicate());
        QVERIFY(retry->ack().duplicate());
        QCOMPARE(retry->ack().seq(), first->ack().seq());
        QCOMPARE(retry->ack().conversation_id(), first->ack().conversation_id());
        QCOMPARE(retry->ack().server_time_ms(), first->ack().server_time_ms());
        const auto next = alice.client->request(FrameBuilder::sendTo(bob.name, "twice", test::randomMsgId()));
        QVERIFY(next && next->has_ack());
        QCOMPARE(next->ack().seq(), first->ack().seq() + 1);

        const auto batch = bob.client->request(FrameBuilder::sync(0));
        QVERIFY(batch && batch->has_sync_batch());
        QCOMPARE(batch->sync_batch().entries_size(), 2);
        QCOMPARE(batch->sync_batch().entries(0).message().client_msg_id(), id.toStdString());
        QCOMPARE(batch->sync_batch().entries(1).message().payload(), std::string("twice"));
    }

    void everyOtherDeviceGetsTheMessage()
    {
        User alice, bob, alice2, bob2;
        QVERIFY(signUp(*m_server, alice, u"alice"_s) && signUp(*m_server, bob, u"bob"_s));
        QVERIFY(signIn(*m_server, alice2, alice.name) && signIn(*m_server, bob2, bob.name));
        QCOMPARE(bob2.session.user_id(), bob.session.user_id());
        QVERIFY(bob2.session.device_id() != bob.session.device_id());

        const QByteArray id = test::randomMsgId();
        const auto ack = alice.client->request(FrameBuilder::sendTo(bob.name, "to all devices", id));
        QVERIFY(ack && ack->has_ack());
        for (User *device : { &bob, &bob2, &alice2 }) {
            const auto batch = device->client->request(FrameBuilder::sync(0));
            QVERIFY(batch && batch->has_sync_batch());
            QCOMPARE(batch->sync_batch().entries_size(), 1);
            const proto::Message &message = batch->sync_batch().entries(0).message();
            QCOMPARE(message.client_msg_id(), id.toStdString());
            QCOMPARE(QString::fromStdString(message.sender()), alice.name);
            QCOMPARE(message.sender_device(), alice.session.device_id());
            QCOMPARE(message.conversation().members_size(), 2);
            QVERIFY(message.conversation().members(0) < message.conversation().members(1));
        }
        // The sending device itself gets nothing.
        const auto own = alice.client->request(FrameBuilder::sync(0));
        QVERIFY(own && own->has_sync_batch());
        QCOMPARE(own->sync_batch().entries_size(), 0);
        QVERIFY(!own->sync_batch().more());
    }

    void liveDeliveryAndReceipt()
    {
        User alice, bob;
        QVERIFY(signUp(*m_server, alice, u"alice"_s) && signUp(*m_server, bob, u"bob"_s));
        // Both catch up (nothing yet) and become live.
        for (User *user : { &alice, &bob }) {
            const auto batch = user->client->request(FrameBuilder::sync(0));
            QVERIFY(batch && batch->has_sync_batch() && !batch->sync_batch().more());
        }
        const QByteArray id = test::randomMsgId();
        const auto ack = alice.client->request(FrameBuilder::sendTo(bob.name, "live", id));
        QVERIFY(ack && ack->has_ack());

        const auto pushed = bob.client->next();
        QVERIFY(pushed && pushed->has_deliver());
        QCOMPARE(pushed->request_id(), quint64(0));
        const proto::MailboxEntry &entry = pushed->deliver().entry();
        QCOMPARE(entry.inbox_seq(), quint64(1));
        QCOMPARE(entry.message().client_msg_id(), id.toStdString());

        bob.client->send(FrameBuilder::deliveryAck(entry.inbox_seq()));
        const auto receiptPush = alice.client->next();
        QVERIFY(receiptPush && receiptPush->has_deliver());
        const proto::Receipt &receipt = receiptPush->deliver().entry().receipt();
        QCOMPARE(receiptPush->deliver().entry().inbox_seq(), quint64(1));
        QCOMPARE(receipt.status(), proto::DELIVERED);
        QCOMPARE(QString::fromStdString(receipt.by_user()), bob.name);
        QCOMPARE(receipt.client_msg_id(), id.toStdString());
        QCOMPARE(receipt.seq(), ack->ack().seq());
        QCOMPARE(receipt.conversation_id(), ack->ack().conversation_id());

        // The receipt is in Alice's mailbox too, and Bob's acked entry is gone from his.
        const auto aliceMailbox = alice.client->request(FrameBuilder::sync(0));
        QVERIFY(aliceMailbox && aliceMailbox->has_sync_batch());
        QCOMPARE(aliceMailbox->sync_batch().entries_size(), 1);
        QVERIFY(aliceMailbox->sync_batch().entries(0).has_receipt());
        const auto bobMailbox = bob.client->request(FrameBuilder::sync(0));
        QVERIFY(bobMailbox && bobMailbox->has_sync_batch());
        QCOMPARE(bobMailbox->sync_batch().entries_size(), 0);
        // Acking again makes no second receipt.
        bob.client->send(FrameBuilder::deliveryAck(entry.inbox_seq()));
        QVERIFY(bob.client->request(FrameBuilder::ping(7)));
        const auto again = alice.client->request(FrameBuilder::sync(1));
        QVERIFY(again && again->has_sync_batch());
        QCOMPARE(again->sync_batch().entries_size(), 0);
    }

    void resendReachesOnlyTheNamedDeviceOnce()
    {
        User alice, bob, bob2;
        QVERIFY(signUp(*m_server, alice, u"alice"_s) && signUp(*m_server, bob, u"bob"_s));
        QVERIFY(signIn(*m_server, bob2, bob.name));
        // Per-device payloads need keyed devices; the server checks shapes only, so any bytes do.
        for (User *u : { &alice, &bob, &bob2 }) {
            proto::Frame up;
            auto *k = up.mutable_upload_keys();
            k->set_identity_key(std::string(1, '\x05') + test::randomMsgId().toStdString()
                + test::randomMsgId().toStdString());
            k->set_registration_id(7);
            k->mutable_signed_pre_key()->set_id(1);
            k->mutable_signed_pre_key()->set_public_key(std::string(33, '\x05'));
            k->mutable_signed_pre_key()->set_signature(std::string(64, 's'));
            const auto done = u->client->request(up);
            QVERIFY2(done && done->has_keys_uploaded(), qPrintable(u->name));
        }
        auto payloadFrame = [](const QByteArray &id, const QString &peer,
                                const QList<std::pair<quint64, std::string>> &payloads) {
            proto::Frame f;
            f.mutable_send()->set_client_msg_id(id.toStdString());
            f.mutable_send()->set_peer_username(peer.toStdString());
            for (const auto &[device, ct] : payloads) {
                auto *p = f.mutable_send()->add_device_payloads();
                p->set_device_id(device);
                p->set_type(2);
                p->set_ciphertext(ct);
            }
            return f;
        };
        const quint64 b1 = bob.session.device_id(), b2 = bob2.session.device_id();
        const QByteArray original = test::randomMsgId();
        const auto ack
            = alice.client->request(payloadFrame(original, bob.name, { { b1, "ct-b1" }, { b2, "ct-b2" } }));
        QVERIFY(ack && ack->has_ack());

        // bob's second device could not decrypt: alice re-encrypts for it alone.
        const QByteArray resendId = test::randomMsgId();
        proto::Frame resend = payloadFrame(resendId, bob.name, { { b2, "ct-b2-again" } });
        resend.mutable_send()->set_resend_of(original.toStdString());
        const auto resent = alice.client->request(resend);
        QVERIFY(resent && resent->has_ack());
        QCOMPARE(resent->ack().client_msg_id(), resendId.toStdString());
        QCOMPARE(resent->ack().seq(), ack->ack().seq());
        QCOMPARE(resent->ack().conversation_id(), ack->ack().conversation_id());
        QVERIFY(!resent->ack().duplicate());
        // Retried after a lost Ack: answered as a duplicate, delivered nothing more.
        const auto again = alice.client->request(resend);
        QVERIFY(again && again->has_ack());
        QVERIFY(again->ack().duplicate());
        QCOMPARE(again->ack().seq(), ack->ack().seq());

        const auto first = bob.client->request(FrameBuilder::sync(0));
        QVERIFY(first && first->has_sync_batch());
        QCOMPARE(first->sync_batch().entries_size(), 1);
        QCOMPARE(first->sync_batch().entries(0).message().payload(), "ct-b1");
        const auto second = bob2.client->request(FrameBuilder::sync(0));
        QVERIFY(second && second->has_sync_batch());
        QCOMPARE(second->sync_batch().entries_size(), 2);
        const proto::Message &redo = second->sync_batch().entries(1).message();
        QCOMPARE(redo.payload(), "ct-b2-again");
        QCOMPARE(redo.client_msg_id(), original.toStdString()); // the original message, again
        QCOMPARE(redo.seq(), ack->ack().seq());

        // Only a message of this device can be resent, and only to devices in the conversation.
        proto::Frame unknown = payloadFrame(test::randomMsgId(), bob.name, { { b2, "x" } });
        unknown.mutable_send()->set_resend_of(test::randomMsgId().toStdString());
        QCOMPARE(errorOf(alice.client->request(unknown)), proto::INVALID_ARGUMENT);
        User carol;
        QVERIFY(signUp(*m_server, carol, u"carol"_s));
        const QByteArray retryId = test::randomMsgId();
        proto::Frame outsider = payloadFrame(retryId, bob.name, { { carol.session.device_id(), "x" } });
        outsider.mutable_send()->set_resend_of(original.toStdString());
        QCOMPARE(errorOf(alice.client->request(outsider)), proto::STALE_DEVICES);
        // Refused for stale devices, nothing was kept: the corrected retry with the same id is delivered.
        proto::Frame corrected = payloadFrame(retryId, bob.name, { { b2, "ct-b2-third" } });
        corrected.mutable_send()->set_resend_of(original.toStdString());
        const auto delivered = alice.client->request(corrected);
        QVERIFY(delivered && delivered->has_ack());
        QVERIFY(!delivered->ack().duplicate());
        const auto third
            = bob2.client->request(FrameBuilder::sync(second->sync_batch().entries(1).inbox_seq()));
        QVERIFY(third && third->has_sync_batch());
        QCOMPARE(third->sync_batch().entries_size(), 1);
        QCOMPARE(third->sync_batch().entries(0).message().payload(), "ct-b2-third");
    }

    void syncBatchesRespectLimit()
    {
        ServerProcess server({ u"--sync-batch"_s, u"10"_s });
        QVERIFY(server.start());
        User alice, bob;
        QVERIFY(signUp(server, alice, u"alice"_s) && signUp(server, bob, u"bob"_s));
        // Pipelined: all 25 go out before the first Ack is read.
        QList<quint64> requests;
        for (int i = 0; i < 25; ++i)
            requests.append(alice.client->send(
                FrameBuilder::sendTo(bob.name, QByteArray::number(i), test::randomMsgId())));
        for (int i = 0; i < 25; ++i) {
            const auto ack = alice.client->next();
            QVERIFY(ack && ack->has_ack());
            QCOMPARE(ack->request_id(), requests.at(i));
            QCOMPARE(ack->ack().seq(), quint64(i + 1));
        }
        quint64 after = 0;
        const QList<QPair<int, bool>> expected { { 10, true }, { 10, true }, { 5, false } };
        for (const auto &[count, more] : expected) {
            const auto batch = bob.client->request(FrameBuilder::sync(after));
            QVERIFY(batch && batch->has_sync_batch());
            QCOMPARE(batch->sync_batch().entries_size(), count);
            QCOMPARE(batch->sync_batch().more(), more);
            for (const proto::MailboxEntry &entry : batch->sync_batch().entries()) {
                QCOMPARE(entry.inbox_seq(), after + 1);
                QCOMPARE(entry.message().payload(), QByteArray::number(int(after)).toStdString());
                after = entry.inbox_seq();
            }
        }
        QCOMPARE(after, quint64(25));
    }

    void listAndRemoveDevices()
    {
        User bob, bob2, alice;
        QVERIFY(signUp(*m_server, bob, u"bob"_s) && signIn(*m_server, bob2, bob.name));
        QVERIFY(signUp(*m_server, alice, u"alice"_s));

        auto devices = bob.client->request(FrameBuilder::listDevices());
        QVERIFY(devices && devices->has_device_list());
        QCOMPARE(devices->device_list().devices_size(), 2);
        for (const proto::Device &device : devices->device_list().devices())
            QCOMPARE(device.current(), device.device_id() == bob.session.device_id());

        expectError(
            *bob.client, FrameBuilder::removeDevice(alice.session.device_id()), proto::DEVICE_NOT_FOUND);

        const proto::Frame remove = FrameBuilder::removeDevice(bob2.session.device_id());
        const auto removed = bob.client->request(remove);
        QVERIFY(removed && removed->has_device_removed());
        QCOMPARE(removed->device_removed().device_id(), bob2.session.device_id());
        QVERIFY(bob2.client->waitClosed());
        QCOMPARE(bob2.client->closeCode(), 4001);
        QCOMPARE(bob2.client->closeReason(), u"device removed"_s);
        expectError(*bob.client, remove, proto::DEVICE_NOT_FOUND);

        auto again = connected(*m_server);
        QVERIFY(again);
        QVERIFY(!again->resume(QString::fromStdString(bob2.session.token())));
        QCOMPARE(errorOf(again->lastAnswer()), proto::INVALID_TOKEN);

        devices = bob.client->request(FrameBuilder::listDevices());
        QVERIFY(devices && devices->has_device_list());
        QCOMPARE(devices->device_list().devices_size(), 1);
        // A removed device gets no more messages.
        QVERIFY(alice.client->request(FrameBuilder::sendTo(bob.name, "after removal", test::randomMsgId())));
        const auto batch = bob.client->request(FrameBuilder::sync(0));
        QVERIFY(batch && batch->has_sync_batch());
        QCOMPARE(batch->sync_batch().entries_size(), 1);
    }

    void newerConnectionReplacesOlder()
    {
        User alice;
        QVERIFY(signUp(*m_server, alice, u"alice"_s));
        auto newer = connected(*m_server);
        QVERIFY(newer);
        const auto session = newer->resume(QString::fromStdString(alice.session.token()));
        QVERIFY(session);
        QCOMPARE(session->device_id(), alice.session.device_id());
        QVERIFY(session->token().empty());
        QVERIFY(alice.client->waitClosed());
        QCOMPARE(alice.client->closeCode(), 4000);
        QCOMPARE(alice.client->closeReason(), u"replaced by a newer connection"_s);
        QVERIFY(newer->isOpen());
        healthy(*m_server);
    }

    void silentConnectionIsDropped()
    {
        ServerProcess server({ u"--heartbeat-seconds"_s, u"1"_s });
        QVERIFY(server.start());
        auto silent = connected(server);
        QVERIFY(silent);
        // Dropped after 3 heartbeats (checked once per heartbeat) without a frame: within about 4 s.
        QVERIFY(silent->waitClosed(15000));
        healthy(server);
    }

    void sigtermKeepsAckedMessages()
    {
        ServerProcess server;
        QVERIFY(server.start());
        User alice, bob;
        QVERIFY(signUp(server, alice, u"alice"_s) && signUp(server, bob, u"bob"_s));
        const QByteArray id = test::randomMsgId();
        const auto ack = alice.client->request(FrameBuilder::sendTo(bob.name, "before restart", id));
        QVERIFY(ack && ack->has_ack());

        QCOMPARE(server.terminate(), 0);
        QVERIFY(alice.client->waitClosed());
        QCOMPARE(alice.client->closeCode(), 1001);
        QCOMPARE(alice.client->closeReason(), u"server shutting down"_s);

        QVERIFY(server.start(server.dataDir()));
        auto bobAgain = connected(server);
        QVERIFY(bobAgain);
        QVERIFY(bobAgain->resume(QString::fromStdString(bob.session.token())));
        const auto batch = bobAgain->request(FrameBuilder::sync(0));
        QVERIFY(batch && batch->has_sync_batch());
        QCOMPARE(batch->sync_batch().entries_size(), 1);
        QCOMPARE(batch->sync_batch().entries(0).message().client_msg_id(), id.toStdString());
        QCOMPARE(batch->sync_batch().entries(0).message().seq(), ack->ack().seq());
    }

    void killKeepsAckedMessages()
    {
        ServerProcess server;
        QVERIFY(server.start());
        User alice, bob;
        QVERIFY(signUp(server, alice, u"alice"_s) && signUp(server, bob, u"bob"_s));
        QList<quint64> requests;
        for (int i = 0; i < 20; ++i)
            requests.append(alice.client->send(FrameBuilder::sendTo(bob.name, "k", test::randomMsgId())));
        for (quint64 request : requests) {
            const auto ack = alice.client->next();
            QVERIFY(ack && ack->has_ack());
            QCOMPARE(ack->request_id(), request);
        }
        server.kill();

        QVERIFY(server.start(server.dataDir()));
        auto bobAgain = connected(server);
        QVERIFY(bobAgain);
        QVERIFY(bobAgain->resume(QString::fromStdString(bob.session.token())));
        const auto batch = bobAgain->request(FrameBuilder::sync(0));
        QVERIFY(batch && batch->has_sync_batch());
        QCOMPARE(batch->sync_batch().entries_size(), 20);
        healthy(server);
    }
};

QTEST_GUILESS_MAIN(tst_ServerBadInput)
#include "tst_ServerBadInput.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
#include "Opener.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace chattermesh::core {

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Opener", text);
}

} // namespace

InboundItem Opener::open(const proto::MailboxEntry &entry, const QString &me, qint64 nowMs, Batch *batch)
{
    InboundItem item;
    item.entry = entry;
    if (!entry.has_message())
        return item;
    const proto::Message &m = entry.message();
    item.entry.mutable_message()->clear_payload();
    if (m.has_event()) {
        item.body = InboundItem::Body::GroupEvent; // server-made: membership, not content
        return item;
    }
    if (m.payload_type() == EndToEnd::kSenderKeyType) {
        openGroup(m, me, nowMs, &item, batch);
        return item;
    }
    if (m.payload_type() == 0) {
        // Unencrypted: anyone with the server could have written it, in anyone's name. Only a
        // benchmark that drives the engine with light protocol clients opts in.
        if (m_acceptUnencrypted) {
            item.text = QString::fromUtf8(m.payload().data(), qsizetype(m.payload().size()));
        } else {
            item.body = InboundItem::Body::Undecryptable;
            item.error = tr("This message was not end-to-end encrypted and was not shown.");
            batch->failures.append({ QByteArray::fromStdString(m.client_msg_id()),
                crypto::CryptoError::InvalidMessage, item.error });
        }
        return item;
    }
    const crypto::Address from { QString::fromStdString(m.sender()), qint32(m.sender_device()) };
    const QByteArray id = QByteArray::fromStdString(m.client_msg_id());
    // The conversation a retry request travels in: 1:1 with the sender for group messages.
    QString peer = m.conversation().kind() == proto::GROUP ? from.name : me;
    for (const auto &member : m.conversation().members()) {
        if (QString::fromStdString(member) != me)
            peer = QString::fromStdString(member);
    }
    auto plain = m_e2e.decrypt(m, me, nowMs);
    if (!plain) {
        if (plain.error().code == crypto::CryptoError::DuplicateMessage) {
            // Its message key was used already, and a decrypt commits with the plaintext it yields,
            // so this is a replay: never shown twice. A replay under an id we never stored is
            // either a copy under a new id or a stored message whose counter was tampered with; a
            // retry request tells them apart, because the sender answers only for ids it sent.
            batch->replays.append(id);
            item.body = InboundItem::Body::Hidden;
            if (!m_store.findMessage(id))
                batch->retries.append({ from, id, peer });
            return item;
        }
        qCWarning(lcEngine) << "cannot decrypt message from" << from.name << from.deviceId << ":"
                            << plain.error().message;
        item.body = InboundItem::Body::Undecryptable;
        item.error = plain.error().message;
        batch->failures.append({ id, plain.error().code, plain.error().message });
        // A corrupted message leaves the session intact; a missing or broken session must be rebuilt.
        if (plain.error().code != crypto::CryptoError::InvalidMessage)
            m_e2e.resetSession(from);
        batch->retries.append({ from, id, peer });
        return item;
    }
    if (plain.value().notice)
        batch->notices.append(*plain.value().notice);
    const content::Content &c = plain.value().content;
    switch (c.body_case()) {
    case content::Content::kText:
        item.text = QString::fromStdString(c.text().body());
        break;
    case content::Content::kMedia:
        keepMedia(c, &item);
        break;
    case content::Content::kSenderKey:
        item.body = InboundItem::Body::Hidden; // only meaningful inside a group message
        break;
    case content::Content::kRetryRequest:
        item.body = InboundItem::Body::Hidden;
        // Answered only by a device whose key we trusted before this message: a request that
        // itself brought a new key (a new device, or a server relabelling someone) gets nothing.
        if (plain.value().notice)
            qCWarning(lcEngine) << "ignoring a retry request from a device with a new key:" << from.name
                                << from.deviceId;
        else
            batch->resends.append(
                { from, QByteArray::fromStdString(c.retry_request().client_msg_id()), peer });
        break;
    default:
        item.body = InboundItem::Body::Undecryptable;
        item.error = tr("This message needs a newer version of ChatterMesh.");
        break;
    }
    return item;
}

void Opener::keepMedia(const content::Content &c, InboundItem *item)
{
    // The bubble shows the caption, or the file name; the whole Content (key, digest, thumbnail)
    // stays with the message for the download.
    item->body = InboundItem::Body::Media;
    item->text
        = QString::fromStdString(c.media().caption().empty() ? c.media().file_name() : c.media().caption());
    item->content = QByteArray::fromStdString(c.SerializeAsString());
}

void Opener::openGroup(
    const proto::Message &m, const QString &me, qint64 nowMs, InboundItem *item, Batch *batch)
{
    const crypto::Address from { QString::fromStdString(m.sender()), qint32(m.sender_device()) };
    const QByteArray id = QByteArray::fromStdString(m.client_msg_id());
    const qint64 group = qint64(m.conversation().conversation_id());
    // A failure asks the sender for the message again, pairwise, in our 1:1 conversation.
    const auto undecryptable = [&](crypto::CryptoError code, const QString &why) {
        qCWarning(lcEngine) << "cannot decrypt group message from" << from.name << from.deviceId << ":"
                            << why;
        item->body = InboundItem::Body::Undecryptable;
        item->error = why;
        batch->failures.append({ id, code, why });
        batch->retries.append({ from, id, from.name, from.name == me ? group : 0 });
    };
    if (m.has_key_distribution()) {
        proto::Message pairwise = m;
        pairwise.set_payload(m.key_distribution().ciphertext());
        pairwise.set_payload_type(m.key_distribution().type());
        auto plain = m_e2e.decrypt(pairwise, me, nowMs);
        if (plain) {
            if (plain.value().notice)
                batch->notices.append(*plain.value().notice);
            const content::Content &c = plain.value().content;
            if (c.has_sender_key() && qint64(c.sender_key().conversation_id()) == group) {
                if (auto r = m_e2e.acceptSenderKey(
                        group, from, QByteArray::fromStdString(c.sender_key().distribution()));
                    !r)
                    qCWarning(lcEngine) << "sender key refused:" << r.error().message;
            }
        } else if (plain.error().code != crypto::CryptoError::DuplicateMessage) {
            if (plain.error().code != crypto::CryptoError::InvalidMessage)
                m_e2e.resetSession(from);
            return undecryptable(plain.error().code, plain.error().message);
        }
    }
    auto content = m_e2e.decryptGroup(group, from, QByteArray::fromStdString(m.payload()));
    if (!content) {
        if (content.error().code == crypto::CryptoError::DuplicateMessage) {
            batch->replays.append(id);
            item->body = InboundItem::Body::Hidden;
            return;
        }
        return undecryptable(content.error().code, content.error().message);
    }
    if (content.value().body_case() == content::Content::kText) {
        item->text = QString::fromStdString(content.value().text().body());
    } else if (content.value().body_case() == content::Content::kMedia) {
        keepMedia(content.value(), item);
    } else {
        item->body = InboundItem::Body::Undecryptable;
        item->error = tr("This message needs a newer version of ChatterMesh.");
    }
}

} // namespace chattermesh::core

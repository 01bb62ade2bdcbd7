// SPDX-License-Identifier: GPL-3.0-or-later
#include "LiveDelivery.h"

#include "ClientConnection.h"
#include "ConnectionRegistry.h"
#include "ServerLog.h"
#include "Store.h"

#include <QPointer>

namespace chattermesh::server {

LiveDelivery::LiveDelivery(Store &store, ConnectionRegistry &registry, PageBound batch)
    : m_store(store), m_registry(registry), m_batch(batch)
{ }

void LiveDelivery::synced(ClientConnection &connection, quint64 lastInboxSeq)
{
    connection.setLive();
    // A Sync while already live may start below what was pushed; the cursor never moves back, so
    // nothing is pushed twice.
    if (lastInboxSeq > connection.sentUpTo())
        connection.setSentUpTo(lastInboxSeq);
}

void LiveDelivery::offer(const MailboxPush &push)
{
    offer(push.deviceId, push.entry.inbox_seq(), [&push](quint64) { return push.entry; });
}

bool LiveDelivery::offer(quint64 deviceId, quint64 inboxSeq, const EntryBuilder &build)
{
    ClientConnection *connection = m_registry.forDevice(deviceId);
    if (!connection || !connection->isLive() || connection->isClosing())
        return false; // the device catches up with Sync
    if (inboxSeq <= connection->sentUpTo())
        return false; // already handed over in a SyncBatch
    // Results arrive in submission order, so anything offered while a gap read is in flight was
    // committed before that read ran and will be in its answer.
    if (connection->fetchInFlight())
        return false;
    if (inboxSeq != connection->sentUpTo() + 1) {
        fetchGap(*connection);
        return false;
    }
    push(*connection, build(inboxSeq));
    return true;
}

void LiveDelivery::push(ClientConnection &connection, const proto::MailboxEntry &entry)
{
    proto::Frame frame;
    *frame.mutable_deliver()->mutable_entry() = entry;
    connection.send(frame);
    connection.setSentUpTo(entry.inbox_seq());
}

void LiveDelivery::fetchGap(ClientConnection &connection)
{
    connection.setFetchInFlight(true);
    qCDebug(lcServer) << "conn" << connection.id() << "reads its mailbox after" << connection.sentUpTo()
                      << "to fill a gap";
    const quint64 device = connection.deviceId();
    const quint64 after = connection.sentUpTo();
    const PageBound bound = m_batch;
    QPointer<ClientConnection> guard(&connection);
    m_store.submit(
        [device, after, bound](StoreBackend &backend) { return backend.mailbox(device, after, bound); },
        [this, guard, device](StoreResult<MailboxPage> page) {
            if (!guard || guard->isClosing() || m_registry.forDevice(device) != guard)
                return;
            guard->setFetchInFlight(false);
            if (!page.ok()) {
                // Without the missing entries the stream cannot continue in order;
                // the client reconnects and syncs.
                qCWarning(lcServer) << "conn" << guard->id() << "gap read failed; closing";
                guard->close(1011, QStringLiteral("internal error"));
                return;
            }
            for (const proto::MailboxEntry &entry : page.value().entries) {
                if (entry.inbox_seq() > guard->sentUpTo())
                    push(*guard, entry);
            }
            if (page.value().more)
                fetchGap(*guard);
        });
}

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "SocketLink.h"

#include "NetworkWorker.h"

namespace chattermesh::server {

SocketLink::SocketLink(NetworkWorker &worker, quint64 id, std::shared_ptr<OutboundGauge> outbound)
    : m_worker(&worker), m_id(id), m_outbound(std::move(outbound))
{ }

void SocketLink::sendBinary(const QByteArray &bytes)
{
    m_outbound->inTransit.fetch_add(bytes.size(), std::memory_order_relaxed);
    SocketCommand command;
    command.id = m_id;
    command.bytes = bytes;
    m_worker->post(std::move(command));
}

void SocketLink::close(int code, const QString &reason, int abortAfterMs)
{
    SocketCommand command;
    command.kind = SocketCommand::Kind::Close;
    command.id = m_id;
    command.closeCode = code;
    command.closeReason = reason;
    command.abortAfterMs = abortAfterMs;
    m_worker->post(std::move(command));
}

void SocketLink::abort()
{
    SocketCommand command;
    command.kind = SocketCommand::Kind::Abort;
    command.id = m_id;
    m_worker->post(std::move(command));
}

} // namespace chattermesh::server

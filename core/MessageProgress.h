// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>
#include <algorithm>

namespace chattermesh::core {

// Where an outgoing message stands. Values are ordered: a later state implies every earlier one.
enum class Progress { Pending = 0, Sent = 1, Delivered = 2, Read = 3 };

// Rules for moving an outgoing message's progress and for summing it up over a group.
class MessageProgress {
public:
    MessageProgress() = delete;

    // Receipts and acks arrive out of order (a read receipt can overtake the send ack), so a state
    // only ever moves forward.
    static constexpr Progress advance(Progress current, Progress next) { return std::max(current, next); }

    // What a group message shows: delivered once every recipient has it, read once every recipient
    // has read it. A read receipt counts as delivery too, since a device cannot show what it did
    // not store. `delivered` and `read` count recipients with such a receipt; the sets overlap, so
    // they are never added. Called for a message the server has accepted, so it starts at Sent.
    static constexpr Progress aggregate(int recipients, int delivered, int read)
    {
        if (recipients <= 0)
            return Progress::Sent;
        read = std::clamp(read, 0, recipients);
        delivered = std::clamp(std::max(delivered, read), 0, recipients);
        if (read == recipients)
            return Progress::Read;
        if (delivered == recipients)
            return Progress::Delivered;
        return Progress::Sent;
    }

    static QString readBySummary(int read, int recipients)
    {
        return QCoreApplication::translate("MessageProgress", "Read by %1 of %2")
            .arg(QString::number(std::clamp(read, 0, std::max(recipients, 0))), QString::number(recipients));
    }
};

} // namespace chattermesh::core

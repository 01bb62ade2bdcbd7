// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EndToEnd.h"
#include "MessageStore.h"

#include <optional>

namespace chattermesh::core {

// Turns an outbox row into the Send that goes out, encrypted once and stored with the row, so a
// retry resends the same bytes (every fresh encryption moves the ratchet, and a peer only skips
// ahead so far). A 1:1 row is encrypted per device of the peer and of my other devices; a group
// row once with my sender key, which travels pairwise to the devices that lack it. Runs inside
// the engine's outbox transaction and never talks to the network: when it cannot seal yet, the
// result says what the engine must do first.
class Sealer {
public:
    enum class Outcome {
        Sealed,
        Skip, // the row failed for good (see `failed`): go on with the next
        Wait, // not now: keep the order, nothing after this row goes before it
    };
    struct Result {
        Outcome outcome = Outcome::Sealed;
        QStringList fetch; // device lists to fetch before trying again
        bool retrySoon = false; // try again after a short backoff
        std::optional<StateChange> failed;
        std::optional<StoreFailure> storeError;
    };

    Sealer(MessageStore &store, EndToEnd &e2e) : m_store(store), m_e2e(e2e) { }

    Result seal(const OutboxItem &item, const crypto::Address &me, proto::Send *send);
    // The answer to a retry request: the original again, re-encrypted for the asking device
    // alone. Nothing when refused: only a device the original was encrypted for, never a held
    // peer, and only for a message this device sent.
    std::optional<proto::Frame> answer(const PendingAnswer &answer, const crypto::Address &me);

private:
    Result sealDirect(const OutboxItem &item, const crypto::Address &me, proto::Send *send);
    Result sealGroup(const OutboxItem &item, const crypto::Address &me, proto::Send *send);
    Result failRow(const OutboxItem &item, const QString &why);
    std::optional<Result> fetchMissing(const QStringList &users);

    MessageStore &m_store;
    EndToEnd &m_e2e;
};

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <optional>

namespace chattermesh::crypto {

// Persistence for everything libsignal keeps: core implements it over its encrypted store. Keys are
// opaque byte strings chosen by crypto/ (e.g. "alice\x1f3" for a session); values are opaque too.
// Calls happen synchronously inside encrypt/decrypt, on the thread that uses the SignalContext, so
// an implementation may join them to a transaction the caller holds.
class KeyStore {
public:
    enum class Kind {
        Local, // own identity, registration id, counters
        Session,
        PreKey,
        SignedPreKey,
        SenderKey,
        Identity, // peers' trusted identity keys
    };

    virtual ~KeyStore() = default;

    virtual std::optional<QByteArray> load(Kind kind, const QByteArray &key) = 0;
    // false only when the write could not be made durable.
    virtual bool store(Kind kind, const QByteArray &key, const QByteArray &value) = 0;
    // Removing a missing key succeeds; false only on a storage failure.
    virtual bool remove(Kind kind, const QByteArray &key) = 0;
    virtual QList<QByteArray> keysWithPrefix(Kind kind, const QByteArray &prefix) = 0;
};

} // namespace chattermesh::crypto

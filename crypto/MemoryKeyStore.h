// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "KeyStore.h"

#include <QMap>
#include <array>

namespace chattermesh::crypto {

// A KeyStore in memory, for unit tests and benchmarks. Copyable: a copy is a snapshot, which lets a
// test "restart" a device from the state it had persisted.
class MemoryKeyStore final : public KeyStore {
public:
    std::optional<QByteArray> load(Kind kind, const QByteArray &key) override;
    bool store(Kind kind, const QByteArray &key, const QByteArray &value) override;
    bool remove(Kind kind, const QByteArray &key) override;
    QList<QByteArray> keysWithPrefix(Kind kind, const QByteArray &prefix) override;

    qsizetype count(Kind kind) const { return table(kind).size(); }
    // Makes every following store() fail, to exercise StoreFailed paths.
    void setFailWrites(bool fail) { m_failWrites = fail; }

private:
    using Table = QMap<QByteArray, QByteArray>; // ordered: a prefix scan is a range walk
    Table &table(Kind kind) { return m_tables[size_t(kind)]; }
    const Table &table(Kind kind) const { return m_tables[size_t(kind)]; }

    std::array<Table, size_t(Kind::Identity) + 1> m_tables;
    bool m_failWrites = false;
};

} // namespace chattermesh::crypto

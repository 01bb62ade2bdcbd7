// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <cstddef>
#include <cstdint>

namespace chattermesh::fuzz {

// Reads a fuzz input as a sequence of small fields, so that a target can let the bytes choose a
// phase, an operation, and then length-prefixed records (two bytes, little-endian). Running out
// of bytes is not an error: every read past the end yields zero or an empty record, and atEnd()
// tells the target to stop.
class FuzzInput {
public:
    FuzzInput(const uint8_t *data, size_t size) : m_data(data), m_size(size) { }

    bool atEnd() const { return m_pos >= m_size; }

    uint8_t byte() { return m_pos < m_size ? m_data[m_pos++] : 0; }

    quint16 u16()
    {
        const quint16 low = byte();
        return quint16(low | (quint16(byte()) << 8));
    }

    // A record: its two-byte length, then that many bytes (fewer if the input ends first).
    QByteArray record()
    {
        const size_t wanted = u16();
        const size_t take = std::min(wanted, m_size - std::min(m_pos, m_size));
        QByteArray out(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(take));
        m_pos += take;
        return out;
    }

    // Writes a record as record() reads it (the corpus generator).
    static QByteArray encodeRecord(const QByteArray &bytes)
    {
        QByteArray out;
        out.append(char(bytes.size() & 0xff));
        out.append(char((bytes.size() >> 8) & 0xff));
        return out + bytes;
    }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

} // namespace chattermesh::fuzz

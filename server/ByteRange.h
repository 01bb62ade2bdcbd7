// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace chattermesh::server {

// The one Range form the asset service serves: a single `bytes=A-B` or `bytes=A-`, clipped to the
// blob and to one chunk. Suffix ranges (`bytes=-N`) and lists are refused as malformed.
class ByteRange {
public:
    enum class Status {
        None, // no Range header
        Ok, // first()..last() inclusive
        Malformed,
        Unsatisfiable, // starts at or past the end
    };

    static ByteRange parse(const QByteArray &header, qint64 size, qint64 chunk);

    Status status() const { return m_status; }
    qint64 first() const { return m_first; }
    qint64 last() const { return m_last; }
    qint64 length() const { return m_last - m_first + 1; }

private:
    ByteRange(Status status, qint64 first = 0, qint64 last = -1);

    Status m_status;
    qint64 m_first;
    qint64 m_last;
};

} // namespace chattermesh::server

// SPDX-License-Identifier: GPL-3.0-or-later
#include "ByteRange.h"

#include <algorithm>
#include <optional>

namespace chattermesh::server {

namespace {

// Plain decimal digits only: toLongLong would also take signs and spaces.
std::optional<qint64> digits(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    for (char c : text)
        if (c < '0' || c > '9')
            return std::nullopt;
    return text.toLongLong();
}

} // namespace

ByteRange::ByteRange(Status status, qint64 first, qint64 last)
    : m_status(status), m_first(first), m_last(last)
{ }

ByteRange ByteRange::parse(const QByteArray &header, qint64 size, qint64 chunk)
{
    if (header.isEmpty())
        return ByteRange(Status::None);
    const QByteArray spec = header.trimmed();
    if (!spec.startsWith("bytes="))
        return ByteRange(Status::Malformed);
    const QByteArray range = spec.mid(6).trimmed();
    const qsizetype dash = range.indexOf('-');
    if (dash <= 0 || range.indexOf('-', dash + 1) >= 0)
        return ByteRange(Status::Malformed);
    const auto first = digits(range.left(dash));
    if (!first)
        return ByteRange(Status::Malformed);
    qint64 last = size - 1;
    if (dash + 1 < range.size()) {
        const auto end = digits(range.mid(dash + 1));
        if (!end || *end < *first)
            return ByteRange(Status::Malformed);
        last = std::min(last, *end);
    }
    if (*first >= size)
        return ByteRange(Status::Unsatisfiable);
    return ByteRange(Status::Ok, *first, std::min(last, *first + chunk - 1));
}

} // namespace chattermesh::server

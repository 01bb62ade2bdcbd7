// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace chattermesh {

// An error crossing a layer: a code from the enum of the layer that raised it, and a human text.
template<typename Code> struct Failure {
    Code code;
    QString message;
};

// Errors are values. Result<T, Code> holds a T or a Failure<Code>; exceptions never cross a loop.
template<typename T, typename Code> class Result {
public:
    Result(T value) : m_v(std::move(value)) { }
    Result(Failure<Code> f) : m_v(std::move(f)) { }

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<0>(m_v); }
    T &value() & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    const T *operator->() const { return &std::get<0>(m_v); }
    const Failure<Code> &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Failure<Code>> m_v;
};

struct Unit { };

} // namespace chattermesh

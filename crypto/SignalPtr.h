// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/: owning wrappers for libsignal objects. Nothing here is included by a public
// header, so raw signal_* pointers never leave the folder.
#pragma once

#include <QByteArray>
#include <signal/signal_protocol.h>
#include <utility>

namespace chattermesh::crypto {

// Owns one libsignal object, like std::unique_ptr, and also lends its slot to C out-parameters:
// f(p.out()) fills p in place, so p is valid as soon as f returns, even later in the same
// expression (a unique_ptr with an out-pointer adapter is only filled when the full expression ends).
template<typename T, typename Deleter> class Owned {
public:
    Owned() = default;
    explicit Owned(T *p) : m_p(p) { }
    ~Owned() { reset(); }
    Owned(Owned &&other) noexcept : m_p(std::exchange(other.m_p, nullptr)) { }
    Owned &operator=(Owned &&other) noexcept
    {
        if (this != &other)
            reset(std::exchange(other.m_p, nullptr));
        return *this;
    }
    Owned(const Owned &) = delete;
    Owned &operator=(const Owned &) = delete;

    T *get() const { return m_p; }
    explicit operator bool() const { return m_p != nullptr; }
    T *release() { return std::exchange(m_p, nullptr); }
    void reset(T *p = nullptr)
    {
        if (T *old = std::exchange(m_p, p))
            Deleter {}(old);
    }
    // Drops the current object and lends the slot to a C function that allocates a new one.
    T **out()
    {
        reset();
        return &m_p;
    }

private:
    T *m_p = nullptr;
};

// Reference-counted libsignal objects (keys, records, messages, bundles, ...).
struct SignalUnref {
    template<typename T> void operator()(T *p) const { SIGNAL_UNREF(p); }
};
template<typename T> using SignalPtr = Owned<T, SignalUnref>;

// Objects with a dedicated free function (ciphers, builders, contexts, lists).
template<auto Free> struct FreeWith {
    template<typename T> void operator()(T *p) const { Free(p); }
};
template<typename T, auto Free> using CPtr = Owned<T, FreeWith<Free>>;

// Buffers may hold key material: always zeroed before they are freed.
using BufferPtr = CPtr<signal_buffer, signal_buffer_bzero_free>;

inline QByteArray toByteArray(const signal_buffer *b)
{
    if (!b)
        return {};
    return QByteArray(
        reinterpret_cast<const char *>(signal_buffer_const_data(b)), qsizetype(signal_buffer_len(b)));
}

inline const uint8_t *bytes(const QByteArray &a)
{
    return reinterpret_cast<const uint8_t *>(a.constData());
}

} // namespace chattermesh::crypto

// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to crypto/.
#pragma once

#include "CryptoError.h"
#include "OpenSslProvider.h"
#include "SignalPtr.h"

#include <QRecursiveMutex>

namespace chattermesh::crypto {

// A libsignal signal_context with our OpenSSL provider, our log sink and one recursive mutex as its
// lock: libsignal takes the lock around every builder/cipher call and again inside nested calls,
// and our store callbacks run while it is held.
class GlobalContext {
public:
    static CryptoResult<std::unique_ptr<GlobalContext>> create();
    GlobalContext(const GlobalContext &) = delete;
    GlobalContext &operator=(const GlobalContext &) = delete;

    signal_context *get() const { return m_context.get(); }
    QRecursiveMutex &mutex() { return m_mutex; }

private:
    GlobalContext() = default;
    static void lock(void *user);
    static void unlock(void *user);
    static void log(int level, const char *message, size_t len, void *user);

    std::unique_ptr<OpenSslProvider> m_provider;
    QRecursiveMutex m_mutex;
    // Last: destroyed first, while the provider it points at still exists.
    CPtr<signal_context, signal_context_destroy> m_context;
};

} // namespace chattermesh::crypto

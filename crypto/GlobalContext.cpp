// SPDX-License-Identifier: GPL-3.0-or-later
#include "GlobalContext.h"

#include "CryptoLog.h"
#include "SignalError.h"

namespace chattermesh::crypto {

CryptoResult<std::unique_ptr<GlobalContext>> GlobalContext::create()
{
    auto provider = OpenSslProvider::create();
    if (!provider)
        return provider.error();
    std::unique_ptr<GlobalContext> g(new GlobalContext);
    g->m_provider = std::move(provider).value();
    int rc = signal_context_create(g->m_context.out(), g.get());
    if (rc < 0)
        return signalFailure(rc, "signal_context_create");
    const signal_crypto_provider table = g->m_provider->table();
    if ((rc = signal_context_set_crypto_provider(g->get(), &table)) < 0
        || (rc = signal_context_set_locking_functions(g->get(), &GlobalContext::lock, &GlobalContext::unlock))
            < 0
        || (rc = signal_context_set_log_function(g->get(), &GlobalContext::log)) < 0)
        return signalFailure(rc, "signal_context setup");
    return g;
}

void GlobalContext::lock(void *user)
{
    static_cast<GlobalContext *>(user)->m_mutex.lock();
}

void GlobalContext::unlock(void *user)
{
    static_cast<GlobalContext *>(user)->m_mutex.unlock();
}

void GlobalContext::log(int level, const char *message, size_t len, void *)
{
    // libsignal's messages carry counters, key ids and addresses, never key material. Expected
    // failures (duplicates, unknown key ids) log at its error level, so everything stays at debug.
    qCDebug(lcCrypto).nospace().noquote()
        << "libsignal[" << level << "]: " << QString::fromUtf8(message, qsizetype(len));
}

} // namespace chattermesh::crypto

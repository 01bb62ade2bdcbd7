// SPDX-License-Identifier: GPL-3.0-or-later
// Per-message cost of the Signal layer for a 1 KB message, encrypt + serialize + parse + decrypt,
// on in-memory key stores: (a) a running chain (same direction), (b) a ratchet turn on every
// message (alternating direction), (c) a sender-key group message. Target for (a): p50 <= 50 us.
#include "BenchReport.h"
#include "MemoryKeyStore.h"
#include "SignalContext.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QTextStream>

using namespace chattermesh;
using namespace chattermesh::bench;
using namespace chattermesh::crypto;

namespace {

constexpr double kTargetRunningChainUs = 50;

struct Peer {
    Address address;
    MemoryKeyStore store;
    std::unique_ptr<SignalContext> ctx;

    explicit Peer(const QString &name) : address { name, 1 }
    {
        ctx = SignalContext::create(store).value();
        if (!ctx->generateIdentity(0).ok())
            qFatal("generateIdentity failed");
    }
};

QByteArray message(int i)
{
    QByteArray m(1024, 'm');
    const QByteArray n = QByteArray::number(i);
    m.replace(0, n.size(), n);
    return m;
}

// One timed 1:1 message; false when it did not arrive intact.
// Times one encrypt and its decrypt; false when either fails or the plaintext does not come back.
template<typename Encrypt, typename Decrypt>
bool roundTrip(const QByteArray &plain, QList<double> *micros, Encrypt encrypt, Decrypt decrypt)
{
    QElapsedTimer t;
    t.start();
    const auto ct = encrypt();
    if (!ct)
        return false;
    const auto back = decrypt(ct.value());
    const double us = double(t.nsecsElapsed()) / 1000.0;
    if (!back || back.value() != plain)
        return false;
    if (micros)
        micros->append(us);
    return true;
}

bool send(Peer &from, Peer &to, const QByteArray &plain, QList<double> *micros)
{
    return roundTrip(
        plain, micros, [&] { return from.ctx->encrypt(to.address, plain); },
        [&](const auto &ct) { return to.ctx->decrypt(from.address, ct); });
}

bool sendToGroup(
    Peer &from, Peer &to, const QByteArray &group, const QByteArray &plain, QList<double> *micros)
{
    return roundTrip(
        plain, micros, [&] { return from.ctx->groupEncrypt(group, from.address, plain); },
        [&](const auto &ct) { return to.ctx->groupDecrypt(group, from.address, ct); });
}

QJsonObject figure(const QList<double> &micros)
{
    QJsonObject o = toJson(percentiles(micros));
    double sum = 0;
    for (double v : micros)
        sum += v;
    o.insert(QStringLiteral("mean"), micros.isEmpty() ? 0.0 : sum / double(micros.size()));
    return o;
}

void printLine(QTextStream &out, const QString &label, const QList<double> &micros)
{
    const Percentiles p = percentiles(micros);
    out << label << ": p50 " << QString::number(p.p50, 'f', 1) << " us, p99 "
        << QString::number(p.p99, 'f', 1) << " us, max " << QString::number(p.max, 'f', 1) << " us over "
        << p.count << " messages" << Qt::endl;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption iterationsO(QStringLiteral("iterations"), QStringLiteral("Messages per scenario."),
        QStringLiteral("n"), QStringLiteral("5000"));
    p.addOption(iterationsO);
    p.process(app);
    const int n = std::max(1, p.value(iterationsO).toInt());
    QTextStream out(stdout);

    Peer alice(QStringLiteral("alice")), bob(QStringLiteral("bob"));
    const auto preKeys = bob.ctx->generateOneTimePreKeys(1).value();
    const PreKeyBundle bundle { bob.ctx->registrationId(), 1, bob.ctx->identityPublicKey(),
        bob.ctx->currentSignedPreKey(), preKeys.first() };
    if (!alice.ctx->processBundle(bob.address, bundle).ok() || !send(alice, bob, "hello", nullptr)
        || !send(bob, alice, "hi", nullptr)) {
        out << "session setup failed" << Qt::endl;
        return 1;
    }
    const int warmup = std::min(n / 10 + 1, 100);
    bool ok = true;

    QList<double> running, turning, group;
    running.reserve(n);
    turning.reserve(n);
    group.reserve(n);
    for (int i = 0; i < warmup + n && ok; ++i)
        ok = send(alice, bob, message(i), i < warmup ? nullptr : &running);
    for (int i = 0; i < warmup + n && ok; ++i) {
        const bool aliceSends = i % 2 == 0;
        ok = send(
            aliceSends ? alice : bob, aliceSends ? bob : alice, message(i), i < warmup ? nullptr : &turning);
    }
    const QByteArray groupId("bench-group");
    const auto distribution = alice.ctx->senderKeyDistribution(groupId, alice.address);
    ok = ok && distribution
        && bob.ctx->processSenderKeyDistribution(groupId, alice.address, distribution.value());
    for (int i = 0; i < warmup + n && ok; ++i)
        ok = sendToGroup(alice, bob, groupId, message(i), i < warmup ? nullptr : &group);
    if (!ok) {
        out << "a message did not decrypt" << Qt::endl;
        return 1;
    }

    out << "1 KB message, encrypt + decrypt, in-memory key stores" << Qt::endl;
    printLine(out, QStringLiteral("(a) running chain, same direction"), running);
    printLine(out, QStringLiteral("(b) ratchet turn on every message"), turning);
    printLine(out, QStringLiteral("(c) sender-key group message"), group);
    const double runningP50 = percentiles(running).p50;
    out << "target (a) p50 <= " << kTargetRunningChainUs
        << " us: " << (runningP50 <= kTargetRunningChainUs ? "met" : "MISSED") << Qt::endl;

    printReport(QStringLiteral("crypto"),
        { { QStringLiteral("message_bytes"), 1024 }, { QStringLiteral("running_chain_us"), figure(running) },
            { QStringLiteral("ratchet_turn_us"), figure(turning) },
            { QStringLiteral("sender_key_us"), figure(group) },
            { QStringLiteral("target_running_chain_p50_us"), kTargetRunningChainUs },
            { QStringLiteral("target_met"), runningP50 <= kTargetRunningChainUs } });
    return 0;
}

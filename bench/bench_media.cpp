// SPDX-License-Identifier: GPL-3.0-or-later
// Shared media through the real server's asset service with two real engines (SQLCipher stores,
// libsignal sessions): encrypted upload and download throughput on loopback, the client's peak RSS
// growth during the transfer, and text send->delivered latency idle vs while a large upload runs.
#include "BenchReport.h"
#include "BenchWait.h"
#include "Engine.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

using namespace chattermesh;
using namespace chattermesh::core;
using namespace chattermesh::bench;
using namespace Qt::StringLiterals;

namespace {

qint64 statusKb(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(strlen(field))).trimmed().split(' ').first().toLongLong();
    return -1;
}

void resetPeakRss()
{
    QFile f(u"/proc/self/clear_refs"_s);
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

std::unique_ptr<Engine> makeEngine(const QString &dir, const QString &name, const QUrl &server)
{
    EngineOptions o;
    o.serverUrl = server;
    o.storePath = dir + u'/' + name + u".db"_s;
    o.key = DbKey::passphrase(u"bench-"_s + name);
    o.minBackoffMs = 5;
    o.maxBackoffMs = 200;
    auto e = std::make_unique<Engine>(o);
    if (!e->open())
        return nullptr;
    e->registerAccount(name, u"bench password"_s);
    if (!spinUntil([&] { return e->status() == Engine::Status::Online; }, 30000))
        return nullptr;
    return e;
}

QString writeRandom(const QString &path, qint64 size)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    QByteArray block(1 << 20, Qt::Uninitialized);
    for (qint64 n = 0; n < size; n += block.size()) {
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        f.write(block.left(std::min<qint64>(block.size(), size - n)));
    }
    return path;
}

// One text, timed from send to the delivered tick on the sender.
double pingMs(Engine &from, const QString &peer)
{
    QElapsedTimer t;
    t.start();
    const auto m = from.sendText(peer, u"ping"_s);
    if (!m)
        return -1;
    const QByteArray id = m.value().clientMsgId;
    if (!spinUntil(
            [&] {
                const auto s = from.store().findMessage(id);
                return s && s->state >= MessageState::Delivered;
            },
            30000))
        return -1;
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption mb(u"mb"_s, u"Attachment size in MiB."_s, u"n"_s, u"100"_s);
    QCommandLineOption hol(u"hol-mb"_s, u"Upload size for the latency run (0: skip)."_s, u"n"_s, u"50"_s);
    QCommandLineOption pings(u"pings"_s, u"Idle pings."_s, u"n"_s, u"200"_s);
    p.addOptions({ mb, hol, pings });
    p.process(app);
    const qint64 size = p.value(mb).toLongLong() * 1024 * 1024;
    const qint64 holSize = p.value(hol).toLongLong() * 1024 * 1024;

    SpawnedServer server;
    if (!server.start())
        return 1;
    QTemporaryDir dir;
    auto alice = makeEngine(dir.path(), u"alice"_s, server.url());
    auto bob = makeEngine(dir.path(), u"bob"_s, server.url());
    if (!alice || !bob)
        return 1;
    QTextStream out(stdout);
    // Sessions first, so the figures below are about media, not the first key exchange.
    pingMs(*alice, u"bob"_s);
    pingMs(*bob, u"alice"_s);

    const QString file = writeRandom(dir.filePath(u"big.mp4"_s), size);
    const qint64 idleKb = statusKb("VmRSS:");
    resetPeakRss();
    QElapsedTimer t;
    t.start();
    auto sent = alice->sendMedia({ u"bob"_s }, file);
    if (!sent)
        return 1;
    const auto transferState = [](Engine &e, qint64 id) {
        const auto tr = e.transferOf(id);
        return tr ? tr->state : TransferState::Cancelled;
    };
    if (!spinUntil(
            [&] { return transferState(*alice, sent.value().localId) == TransferState::Done; }, 600000))
        return 1;
    const double upS = double(t.nsecsElapsed()) / 1e9;
    const qint64 upPeakKb = statusKb("VmHWM:");
    if (!spinUntil(
            [&] {
                const auto all = bob->history(u"alice"_s, 0, 1000);
                return all && !all.value().isEmpty() && all.value().last().kind == MessageKind::Media;
            },
            60000))
        return 1;
    const qint64 got = bob->history(u"alice"_s, 0, 1000).value().last().localId;
    resetPeakRss();
    const qint64 idle2Kb = statusKb("VmRSS:");
    t.restart();
    bob->download(got);
    if (!spinUntil([&] { return transferState(*bob, got) == TransferState::Done; }, 600000))
        return 1;
    const double downS = double(t.nsecsElapsed()) / 1e9;
    const qint64 downPeakKb = statusKb("VmHWM:");
    const double mib = double(size) / 1048576.0;
    out << "attachment: " << mib << " MiB\n"
        << "encrypt + upload: " << upS << " s = " << mib / upS << " MiB/s; RSS peak " << upPeakKb / 1024
        << " MiB, growth over idle " << (upPeakKb - idleKb) / 1024.0 << " MiB\n"
        << "download + verify: " << downS << " s = " << mib / downS << " MiB/s; RSS peak "
        << downPeakKb / 1024 << " MiB, growth over idle " << (downPeakKb - idle2Kb) / 1024.0 << " MiB\n";

    QJsonObject figures { { u"attachment_mib"_s, mib }, { u"upload_mib_s"_s, mib / upS },
        { u"download_mib_s"_s, mib / downS }, { u"upload_rss_growth_mib"_s, (upPeakKb - idleKb) / 1024.0 },
        { u"download_rss_growth_mib"_s, (downPeakKb - idle2Kb) / 1024.0 } };

    if (holSize > 0) {
        // Head-of-line: text latency idle, then while a large upload runs.
        QList<double> idle;
        for (int i = 0; i < p.value(pings).toInt(); ++i)
            idle.append(pingMs(*alice, u"bob"_s));
        const QString holFile = writeRandom(dir.filePath(u"hol.mp4"_s), holSize);
        auto big = alice->sendMedia({ u"bob"_s }, holFile);
        QList<double> busy;
        bool uploading = false;
        QObject::connect(
            alice.get(), &Engine::transferProgress, alice.get(), [&](qint64 id, qint64 done, qint64 total) {
                uploading = id == big.value().localId && done < total;
            });
        // Pings only count while bytes are moving (after the encryption, before the end).
        spinUntil([&] { return uploading; }, 60000);
        while (transferState(*alice, big.value().localId) != TransferState::Done) {
            const double ms = pingMs(*alice, u"bob"_s);
            if (uploading)
                busy.append(ms);
        }
        const Percentiles pi = percentiles(idle);
        const Percentiles pb = percentiles(busy);
        out << "text send->delivered idle: p50 " << pi.p50 << " ms, p99 " << pi.p99 << " ms (" << pi.count
            << ")\n"
            << "during a " << holSize / 1048576 << " MiB upload: p50 " << pb.p50 << " ms, p99 " << pb.p99
            << " ms (" << pb.count << "); ratio p99 " << pb.p99 / pi.p99 << "\n";
        figures.insert(u"text_idle"_s, toJson(pi));
        figures.insert(u"text_during_upload"_s, toJson(pb));
        figures.insert(u"p99_ratio"_s, pb.p99 / pi.p99);
    }
    out.flush();
    printReport(u"bench_media"_s, figures);
    alice->close();
    bob->close();
    return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
// N sender/receiver pairs of light protocol clients through one chattermesh-server on loopback.
// Reports delivered msgs/s, send→ack and send→delivered latency percentiles, lost and duplicates.
#include "BenchReport.h"
#include "LoadClient.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QRandomGenerator>
#include <QTextStream>
#include <QTimer>
#include <cstring>

using namespace chattermesh;
using namespace chattermesh::bench;

namespace {

QByteArray payloadAt(qint64 nowNs)
{
    QByteArray p(64, 'x');
    std::memcpy(p.data(), &nowNs, sizeof nowNs);
    return p;
}

qint64 stampOf(const std::string &payload)
{
    qint64 ns = 0;
    if (payload.size() >= sizeof ns)
        std::memcpy(&ns, payload.data(), sizeof ns);
    return ns;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption pairsO(QStringLiteral("pairs"), QStringLiteral("Sender/receiver pairs."),
        QStringLiteral("n"), QStringLiteral("20"));
    QCommandLineOption rateO(QStringLiteral("rate"), QStringLiteral("Offered msgs/s in total; 0 = flat out."),
        QStringLiteral("r"), QStringLiteral("0"));
    QCommandLineOption secondsO(QStringLiteral("seconds"), QStringLiteral("Sending time."),
        QStringLiteral("s"), QStringLiteral("10"));
    QCommandLineOption windowO(QStringLiteral("window"),
        QStringLiteral("Unacked sends per sender (flat out)."), QStringLiteral("w"), QStringLiteral("64"));
    QCommandLineOption serverO(QStringLiteral("server"),
        QStringLiteral("Use this server instead of spawning one."), QStringLiteral("url"));
    QCommandLineOption smokeO(
        QStringLiteral("smoke"), QStringLiteral("CI smoke run: fail only on loss/duplicates."));
    QCommandLineOption threadsO(QStringLiteral("network-threads"),
        QStringLiteral("The spawned server's --network-threads (0: its default)."), QStringLiteral("n"),
        QStringLiteral("0"));
    p.addOptions({ pairsO, rateO, secondsO, windowO, serverO, smokeO, threadsO });
    p.process(app);

    const int pairs = p.value(pairsO).toInt();
    const double rate = p.value(rateO).toDouble();
    const double seconds = p.value(secondsO).toDouble();
    const int window = p.value(windowO).toInt();
    QTextStream out(stdout);

    // The KDF is lowered only because the benchmark registers many users; it measures messaging.
    QStringList serverArgs { QStringLiteral("--kdf-iterations"), QStringLiteral("1000") };
    if (p.value(threadsO).toInt() > 0)
        serverArgs << QStringLiteral("--network-threads") << p.value(threadsO);
    SpawnedServer spawned(serverArgs);
    QUrl url(p.value(serverO));
    if (url.isEmpty()) {
        if (!spawned.start()) {
            out << "server did not start" << Qt::endl;
            return 1;
        }
        url = spawned.url();
    }
    out << "server " << url.toString() << ", pairs " << pairs << ", rate "
        << (rate > 0 ? QString::number(rate) : QStringLiteral("flat out")) << ", " << seconds << " s"
        << Qt::endl;

    const QString nonce = QString::number(QRandomGenerator::global()->bounded(1'000'000));
    QList<LoadClient *> senders, receivers;
    int liveCount = 0;
    QString failure;
    for (int i = 0; i < pairs; ++i) {
        senders << new LoadClient(url, QStringLiteral("s%1x%2").arg(i).arg(nonce), &app);
        receivers << new LoadClient(url, QStringLiteral("r%1x%2").arg(i).arg(nonce), &app);
    }
    QElapsedTimer clock;
    clock.start();
    QHash<QByteArray, qint64> sentAt; // client id → ns
    QList<double> ackMs, deliverMs;
    QHash<QByteArray, int> deliveredCount;
    qint64 sent = 0, acked = 0, delivered = 0;
    qint64 firstDeliverNs = 0, lastDeliverNs = 0;
    bool sending = false;
    for (LoadClient *c : senders + receivers) {
        QObject::connect(c, &LoadClient::live, &app, [&] { ++liveCount; });
        QObject::connect(c, &LoadClient::failed, &app, [&](const QString &why) {
            if (failure.isEmpty())
                failure = why;
        });
    }
    for (LoadClient *s : senders)
        QObject::connect(s, &LoadClient::acked, &app, [&](const QByteArray &id, bool) {
            ++acked;
            ackMs << double(clock.nsecsElapsed() - sentAt.value(id)) / 1e6;
        });
    for (LoadClient *r : receivers)
        QObject::connect(r, &LoadClient::delivered, &app, [&](const proto::Message &m) {
            const QByteArray id = QByteArray::fromStdString(m.client_msg_id());
            if (++deliveredCount[id] > 1)
                return;
            ++delivered;
            const qint64 now = clock.nsecsElapsed();
            if (!firstDeliverNs)
                firstDeliverNs = now;
            lastDeliverNs = now;
            deliverMs << double(now - stampOf(m.payload())) / 1e6;
        });

    for (LoadClient *c : senders + receivers)
        c->start();
    while (liveCount < 2 * pairs && failure.isEmpty())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!failure.isEmpty()) {
        out << "setup failed: " << failure << Qt::endl;
        return 1;
    }

    quint64 idCounter = 0;
    auto sendOne = [&](int i) {
        QByteArray id(16, '\0');
        const quint64 n = ++idCounter;
        std::memcpy(id.data(), &n, sizeof n);
        const qint64 now = clock.nsecsElapsed();
        sentAt.insert(id, now);
        senders[i]->send(receivers[i]->username(), id, payloadAt(now));
        ++sent;
    };
    const qint64 startNs = clock.nsecsElapsed();
    const qint64 endNs = startNs + qint64(seconds * 1e9);
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        sending = false;
        loop.quit();
    });
    deadline.start(int(seconds * 1000));
    sending = true;
    QTimer pacer; // offered load: a precise 1 ms tick sends what is due, so the generator never spins
    int next = 0;
    if (rate > 0) {
        pacer.setTimerType(Qt::PreciseTimer);
        pacer.setInterval(1);
        QObject::connect(&pacer, &QTimer::timeout, &loop, [&] {
            const qint64 due = qint64(double(clock.nsecsElapsed() - startNs) / 1e9 * rate);
            while (sending && sent < due) {
                sendOne(next);
                next = (next + 1) % pairs;
            }
        });
        pacer.start();
    } else {
        // Flat out: every ack frees a slot in that sender's window.
        for (int i = 0; i < pairs; ++i) {
            QObject::connect(senders[i], &LoadClient::acked, &loop, [&, i] {
                if (sending && clock.nsecsElapsed() < endNs)
                    while (senders[i]->inFlight() < window)
                        sendOne(i);
            });
            while (senders[i]->inFlight() < window)
                sendOne(i);
        }
    }
    loop.exec();
    pacer.stop();
    // Drain: everything acked must be delivered; give it a bounded time.
    const qint64 drainUntil = clock.nsecsElapsed() + qint64(20e9);
    while ((acked < sent || delivered < acked) && clock.nsecsElapsed() < drainUntil && failure.isEmpty())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);

    qint64 duplicates = 0;
    for (int n : std::as_const(deliveredCount))
        duplicates += n - 1;
    const qint64 lost = acked - delivered;
    const double span = double(lastDeliverNs - firstDeliverNs) / 1e9;
    const double throughput = span > 0 ? double(delivered) / span : 0;
    const Percentiles a = percentiles(ackMs), d = percentiles(deliverMs);
    out << "sent " << sent << ", acked " << acked << ", delivered " << delivered << ", lost " << lost
        << ", duplicates " << duplicates << Qt::endl;
    out << "delivered msgs/s " << qRound(throughput) << Qt::endl;
    out << "send->ack ms p50 " << a.p50 << " p99 " << a.p99 << " max " << a.max << Qt::endl;
    out << "send->delivered ms p50 " << d.p50 << " p99 " << d.p99 << " max " << d.max << Qt::endl;
    if (!failure.isEmpty())
        out << "failure: " << failure << Qt::endl;
    printReport(QStringLiteral("loadgen"),
        { { QStringLiteral("pairs"), pairs }, { QStringLiteral("offered_rate"), rate },
            { QStringLiteral("seconds"), seconds }, { QStringLiteral("sent"), double(sent) },
            { QStringLiteral("acked"), double(acked) }, { QStringLiteral("delivered"), double(delivered) },
            { QStringLiteral("lost"), double(lost) }, { QStringLiteral("duplicates"), double(duplicates) },
            { QStringLiteral("delivered_per_s"), throughput },
            { QStringLiteral("send_to_ack_ms"), toJson(a) },
            { QStringLiteral("send_to_delivered_ms"), toJson(d) } });
    const bool clean = failure.isEmpty() && lost == 0 && duplicates == 0 && acked == sent && sent > 0;
    return clean ? 0 : 1;
}

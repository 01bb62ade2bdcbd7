// SPDX-License-Identifier: GPL-3.0-or-later
// One group of N light protocol clients, every member online; one sender sends messages one at a
// time (shared payload mode). Reports per-message send→received-by-every-member latency.
#include "BenchReport.h"
#include "LoadClient.h"
#include "SpawnedServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QRandomGenerator>
#include <QTextStream>
#include <cstring>

using namespace chattermesh;
using namespace chattermesh::bench;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    QCommandLineOption membersO(QStringLiteral("members"), QStringLiteral("Group size, sender included."),
        QStringLiteral("n"), QStringLiteral("256"));
    QCommandLineOption messagesO(QStringLiteral("messages"), QStringLiteral("Messages sent, one at a time."),
        QStringLiteral("n"), QStringLiteral("200"));
    QCommandLineOption smokeO(QStringLiteral("smoke"), QStringLiteral("CI smoke run: fail only on loss."));
    p.addOptions({ membersO, messagesO, smokeO });
    p.process(app);
    const int members = p.value(membersO).toInt();
    const int messages = p.value(messagesO).toInt();
    QTextStream out(stdout);

    SpawnedServer spawned({ QStringLiteral("--kdf-iterations"), QStringLiteral("1000") });
    if (!spawned.start()) {
        out << "server did not start" << Qt::endl;
        return 1;
    }
    out << "server " << spawned.url().toString() << ", group of " << members << ", " << messages
        << " messages one at a time" << Qt::endl;
    const QString nonce = QString::number(QRandomGenerator::global()->bounded(1'000'000));
    QList<LoadClient *> clients;
    int liveCount = 0;
    QString failure;
    for (int i = 0; i < members; ++i) {
        auto *c = new LoadClient(spawned.url(), QStringLiteral("g%1x%2").arg(i).arg(nonce), &app);
        QObject::connect(c, &LoadClient::live, &app, [&] { ++liveCount; });
        QObject::connect(c, &LoadClient::failed, &app, [&](const QString &why) {
            if (failure.isEmpty())
                failure = why;
        });
        clients << c;
        c->start();
    }
    auto spin = [&](const std::function<bool()> &done, qint64 timeoutMs) {
        QElapsedTimer t;
        t.start();
        while (!done() && failure.isEmpty() && t.elapsed() < timeoutMs)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return done();
    };
    if (!spin([&] { return liveCount == members; }, 120000)) {
        out << "setup failed: " << failure << Qt::endl;
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    quint64 group = 0;
    int createdSeen = 0;
    QHash<quint64, int> receivedBy; // seq -> members that have it
    QHash<quint64, qint64> sentAt; // seq -> ns, filled when acked
    QHash<QByteArray, qint64> sentById;
    QList<double> allMs, eachMs;
    int complete = 0;
    LoadClient *sender = clients.first();
    QObject::connect(sender, &LoadClient::answered, &app,
        [&](const proto::Frame &f) { group = f.ack().conversation_id(); });
    for (int i = 1; i < members; ++i) {
        QObject::connect(clients[i], &LoadClient::delivered, &app, [&](const proto::Message &m) {
            if (m.has_event()) {
                ++createdSeen;
                return;
            }
            qint64 stamp = 0;
            std::memcpy(&stamp, m.payload().data(), sizeof stamp);
            const qint64 now = clock.nsecsElapsed();
            eachMs << double(now - stamp) / 1e6;
            if (++receivedBy[m.seq()] == members - 1) {
                allMs << double(now - stamp) / 1e6;
                ++complete;
            }
        });
    }
    proto::Frame create;
    create.mutable_create_group()->set_title("bench");
    for (int i = 1; i < members; ++i)
        create.mutable_create_group()->add_members(clients[i]->username().toStdString());
    sender->requestFrame(create);
    if (!spin([&] { return group != 0 && createdSeen == members - 1; }, 60000)) {
        out << "group setup failed: " << failure << Qt::endl;
        return 1;
    }
    for (int k = 0; k < messages && failure.isEmpty(); ++k) {
        QByteArray id(16, '\0'), payload(64, 'x');
        const quint64 n = quint64(k) + 1;
        std::memcpy(id.data(), &n, sizeof n);
        const qint64 now = clock.nsecsElapsed();
        std::memcpy(payload.data(), &now, sizeof now);
        sender->sendToConversation(group, id, payload);
        if (!spin([&] { return complete == k + 1; }, 20000))
            break;
    }
    const Percentiles a = percentiles(allMs), e = percentiles(eachMs);
    const qint64 lost = qint64(messages - complete);
    out << "messages " << messages << ", reached every member " << complete << ", lost " << lost << Qt::endl;
    out << "send->received by all " << (members - 1) << " ms p50 " << a.p50 << " p95 " << a.p95 << " p99 "
        << a.p99 << " max " << a.max << Qt::endl;
    out << "send->received per recipient ms p50 " << e.p50 << " p99 " << e.p99 << Qt::endl;
    if (!failure.isEmpty())
        out << "failure: " << failure << Qt::endl;
    printReport(QStringLiteral("group"),
        { { QStringLiteral("members"), members }, { QStringLiteral("messages"), messages },
            { QStringLiteral("complete"), complete }, { QStringLiteral("send_to_all_ms"), toJson(a) },
            { QStringLiteral("send_to_each_ms"), toJson(e) } });
    return failure.isEmpty() && lost == 0 ? 0 : 1;
}

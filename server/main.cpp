// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandLine.h"
#include "LogOutput.h"
#include "ProtobufLog.h"
#include "Server.h"
#include "ServerLog.h"
#include "SignalWatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QThreadPool>
#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace chattermesh::server;

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

void applyLogLevel(const QString &level)
{
    QString rules;
    if (level != u"debug"_s)
        rules += u"chattermesh.*.debug=false\n"_s;
    if (level == u"warning"_s || level == u"error"_s)
        rules += u"chattermesh.*.info=false\n"_s;
    if (level == u"error"_s)
        rules += u"chattermesh.*.warning=false\n"_s;
    QLoggingCategory::setFilterRules(rules);
}

} // namespace

int main(int argc, char *argv[])
{
    // Qt's glib event dispatcher keeps socket notifiers in lists it walks on every change and every
    // poll; with thousands of sockets per network thread that made a reconnect storm several times
    // slower than Qt's own poll() dispatcher (docs/benchmarks.md, *Network thread pool*). Set before
    // the application object, which picks the dispatcher.
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    chattermesh::proto::routeProtobufLogs();
    QCoreApplication::setApplicationName(u"chattermesh-server"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CHATTERMESH_VERSION));

    const CommandLine commandLine = CommandLine::parse(QCoreApplication::arguments());
    switch (commandLine.action()) {
    case CommandLine::Action::PrintAndExit:
        std::fputs(commandLine.text().toLocal8Bit().constData(), stdout);
        return 0;
    case CommandLine::Action::Fail:
        std::fputs(commandLine.text().toLocal8Bit().constData(), stderr);
        return kExitUsage;
    case CommandLine::Action::Run:
        break;
    }

    LogOutput::install(
        commandLine.config().logFormat == u"json"_s ? LogOutput::Format::Json : LogOutput::Format::Text);
    applyLogLevel(commandLine.config().logLevel);
    // A client vanishing mid-write must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);

    SignalWatcher signalWatcher;
    if (!signalWatcher.install()) {
        qCCritical(lcServer) << "cannot install signal handlers";
        return kExitFailure;
    }

    Server server(commandLine.config());
    const auto started = server.start();
    if (!started.ok()) {
        qCCritical(lcServer).noquote() << started.error().message;
        return kExitFailure;
    }
    qCInfo(lcServer).noquote() << "chattermesh-server" << CHATTERMESH_VERSION << "data in"
                               << commandLine.config().dataDir;
    // Exactly one line on stdout: tests and scripts read the chosen port from it.
    std::printf("listening on %s:%u assets %u\n", server.address().toString().toLatin1().constData(),
        unsigned(server.port()), unsigned(server.assetPort()));
    std::fflush(stdout);

    QObject::connect(
        &signalWatcher, &SignalWatcher::terminationRequested, &server, [&server](int signalNumber) {
            qCInfo(lcServer).noquote() << (signalNumber == SIGINT ? "SIGINT" : "SIGTERM")
                                       << "received: finishing queued work and closing connections";
            server.shutdown([] { QCoreApplication::exit(0); });
        });

    const int code = QCoreApplication::exec();
    // Password hashes may still be running for requests that will never be answered.
    QThreadPool::globalInstance()->waitForDone();
    return code;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliSession.h"
#include "ProtobufLog.h"

#include <QCommandLineParser>
#include <QDir>
#include <QGuiApplication>
#include <QTimer>

using namespace chattermesh;

int main(int argc, char **argv)
{
    // A GUI application only because Qt 6.4 turns video frames into images (the poster sent with a
    // video) nowhere else; it never opens a window, so it needs no display either.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    chattermesh::proto::routeProtobufLogs();
    QCoreApplication::setApplicationName(QStringLiteral("chattermesh-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHATTERMESH_VERSION));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Headless ChatterMesh client.\n"
        "Commands: register USER PASSWORD | login USER PASSWORD | send PEER TEXT... | send PEER --stdin |\n"
        "          script (stdin lines PEER|#GROUP<TAB>TEXT) |\n"
        "          flush | listen [--count N] | history PEER|#GROUP [--limit N] | devices |\n"
        "          conversations | group-create TITLE MEMBER... | group-send GROUP TEXT... |\n"
        "          group GROUP rename TITLE|add USER...|remove USER...|leave|promote USER|demote USER|\n"
        "                admins-only on|off |\n"
        "          safety PEER (the safety number to compare) | verify PEER | accept PEER (a new key) |\n"
        "          send-file PEER|#GROUP PATH [CAPTION...] | fetch PEER|#GROUP OUTPUT (the newest "
        "attachment)"));
    p.addHelpOption();
    p.addVersionOption();
    QCommandLineOption server({ QStringLiteral("s"), QStringLiteral("server") },
        QStringLiteral("Server URL."), QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:8765"));
    QCommandLineOption store(
        QStringLiteral("store"), QStringLiteral("Path of the encrypted store."), QStringLiteral("path"));
    QCommandLineOption pass(QStringLiteral("passphrase"),
        QStringLiteral("Store passphrase (default: $CHATTERMESH_PASSPHRASE)."), QStringLiteral("passphrase"));
    QCommandLineOption device(QStringLiteral("device"), QStringLiteral("Device name."),
        QStringLiteral("name"), QStringLiteral("chattermesh-cli"));
    QCommandLineOption stdinOpt(QStringLiteral("stdin"), QStringLiteral("send: one message per input line."));
    QCommandLineOption count(QStringLiteral("count"), QStringLiteral("listen: exit after N messages."),
        QStringLiteral("n"), QStringLiteral("0"));
    QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("history: page size."),
        QStringLiteral("n"), QStringLiteral("50"));
    QCommandLineOption backoff(QStringLiteral("min-backoff-ms"), QStringLiteral("First reconnect delay."),
        QStringLiteral("ms"), QStringLiteral("250"));
    QCommandLineOption caFile(QStringLiteral("ca-file"),
        QStringLiteral("Also trust the CA certificates in this PEM file (a self-hosted server's CA)."),
        QStringLiteral("file"));
    QCommandLineOption noPin(QStringLiteral("no-pin"),
        QStringLiteral("Do not pin the server's key on first use, nor check it against the pin."));
    QCommandLineOption forgetPin(QStringLiteral("forget-pin"),
        QStringLiteral("Drop the server's pinned key first (its certificate was replaced on purpose)."));
    QCommandLineOption insecure(
        QStringLiteral("insecure"), QStringLiteral("Allow plain ws:// to a server that is not on loopback."));
    QCommandLineOption maxBackoff(QStringLiteral("max-backoff-ms"),
        QStringLiteral("Longest reconnect delay."), QStringLiteral("ms"), QStringLiteral("30000"));
    QCommandLineOption requestTimeout(QStringLiteral("request-timeout-ms"),
        QStringLiteral("A request unanswered this long makes the client reconnect."), QStringLiteral("ms"),
        QStringLiteral("30000"));
    p.addOptions({ server, store, pass, device, stdinOpt, count, limit, backoff, maxBackoff, requestTimeout,
        caFile, noPin, forgetPin, insecure });
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do."));
    p.process(app);

    const QStringList pos = p.positionalArguments();
    if (pos.isEmpty() || !p.isSet(store)) {
        QTextStream(stderr) << "error\tusage: chattermesh-cli --store PATH [--server URL] COMMAND ..."
                            << Qt::endl;
        return 2;
    }
    QString passphrase = p.value(pass);
    if (passphrase.isEmpty())
        passphrase = qEnvironmentVariable("CHATTERMESH_PASSPHRASE");
    if (passphrase.isEmpty()) {
        QTextStream(stderr) << "error\tno passphrase: pass --passphrase or set CHATTERMESH_PASSPHRASE"
                            << Qt::endl;
        return 2;
    }

    core::EngineOptions opts;
    opts.serverUrl = QUrl(p.value(server));
    opts.storePath = p.value(store);
    opts.key = core::DbKey::passphrase(passphrase);
    opts.deviceName = p.value(device);
    opts.minBackoffMs = p.value(backoff).toInt();
    opts.tlsCaFile = p.value(caFile);
    opts.pinCertificate = !p.isSet(noPin);
    opts.allowPlainText = p.isSet(insecure);
    opts.maxBackoffMs = std::max(opts.minBackoffMs, p.value(maxBackoff).toInt());
    opts.requestTimeoutMs = p.value(requestTimeout).toLongLong();
    QDir().mkpath(QFileInfo(opts.storePath).absolutePath());
    core::Engine engine(opts);
    if (auto r = engine.open(); !r) {
        QTextStream(stderr) << "error\tSTORE\t" << r.error().message << Qt::endl;
        return 4;
    }
    if (p.isSet(forgetPin)) {
        if (auto r = engine.forgetCertificatePin(); !r) {
            QTextStream(stderr) << "error\tSTORE\t" << r.error().message << Qt::endl;
            return 4;
        }
    }

    cli::CliSession::Command cmd;
    cmd.verb = pos.first();
    cmd.args = pos.mid(1);
    cmd.fromStdin = p.isSet(stdinOpt);
    cmd.count = p.value(count).toInt();
    cmd.limit = p.value(limit).toInt();
    cli::CliSession session(&engine, cmd);
    QObject::connect(
        &session, &cli::CliSession::finished, &app,
        [&](int code) {
            engine.close();
            QCoreApplication::exit(code);
        },
        Qt::QueuedConnection);
    QTimer::singleShot(0, &session, &cli::CliSession::start);
    return app.exec();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandLine.h"

#include <QCommandLineParser>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

std::optional<qint64> parseNumber(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

bool parseListen(const QString &text, ServerConfig &config)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const auto port = parseNumber(text.mid(colon + 1), 0, 65535);
    if (!port)
        return false;
    QHostAddress address;
    if (host == u"localhost"_s)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return false;
    config.listenAddress = address;
    config.listenPort = quint16(*port);
    return true;
}

} // namespace

CommandLine::CommandLine(Action action, ServerConfig config, QString text)
    : m_action(action), m_config(std::move(config)), m_text(std::move(text))
{ }

CommandLine CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"ChatterMesh reference server"_s);
    const QCommandLineOption help(QStringList { u"h"_s, u"help"_s }, u"Show this help."_s);
    const QCommandLineOption version(u"version"_s, u"Print the version and exit."_s);
    const QCommandLineOption listen(
        u"listen"_s, u"Address to listen on (port 0: any free port)."_s, u"HOST:PORT"_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"Directory holding server.db."_s, u"DIR"_s);
    const QCommandLineOption logLevel(
        u"log-level"_s, u"debug, info, warning or error."_s, u"LEVEL"_s, u"info"_s);
    const QCommandLineOption maxFrame(
        u"max-frame-bytes"_s, u"Largest WebSocket message accepted."_s, u"N"_s, u"1048576"_s);
    const QCommandLineOption maxPayload(
        u"max-payload-bytes"_s, u"Largest Send payload accepted."_s, u"N"_s, u"262144"_s);
    const QCommandLineOption syncBatch(
        u"sync-batch"_s, u"Mailbox entries per SyncBatch."_s, u"N"_s, u"500"_s);
    const QCommandLineOption tokenTtl(
        u"token-ttl-seconds"_s, u"Lifetime of session tokens (0: born expired)."_s, u"N"_s, u"2592000"_s);
    const QCommandLineOption kdfIterations(
        u"kdf-iterations"_s, u"PBKDF2 iterations for new passwords."_s, u"N"_s, u"200000"_s);
    const QCommandLineOption heartbeat(
        u"heartbeat-seconds"_s, u"Heartbeat period; silent connections drop after 3x."_s, u"N"_s, u"15"_s);
    const QCommandLineOption maxGroupMembers(
        u"max-group-members"_s, u"Most members a group may have."_s, u"N"_s, u"1024"_s);
    const QCommandLineOption typingRate(u"typing-rate"_s,
        u"Typing frames per second per user and conversation (refill of the bucket)."_s, u"N"_s, u"1"_s);
    const QCommandLineOption typingBurst(
        u"typing-burst"_s, u"Typing frames a user may send at once per conversation."_s, u"N"_s, u"5"_s);
    const QCommandLineOption typingMaxTypists(u"typing-max-typists"_s,
        u"Typists forwarded at once per conversation; others are dropped until a slot frees (0: no bound)."_s,
        u"N"_s, u"16"_s);
    const QCommandLineOption assetPort(u"asset-port"_s,
        u"Port of the HTTP asset service on the --listen address (0: any free port)."_s, u"PORT"_s, u"0"_s);
    const QCommandLineOption assetMaxImage(
        u"asset-max-image-mb"_s, u"Largest image asset, in MiB of ciphertext."_s, u"N"_s, u"16"_s);
    const QCommandLineOption assetMaxVideo(
        u"asset-max-video-mb"_s, u"Largest video asset, in MiB of ciphertext."_s, u"N"_s, u"100"_s);
    const QCommandLineOption assetMaxVoice(
        u"asset-max-voice-mb"_s, u"Largest voice asset, in MiB of ciphertext."_s, u"N"_s, u"10"_s);
    const QCommandLineOption assetMaxFile(
        u"asset-max-file-mb"_s, u"Largest file asset, in MiB of ciphertext."_s, u"N"_s, u"100"_s);
    const QCommandLineOption assetChunk(u"asset-chunk-kb"_s,
        u"Most bytes per asset upload or download request, in KiB."_s, u"N"_s, u"1024"_s);
    const QCommandLineOption assetSweep(
        u"asset-sweep-seconds"_s, u"Period of the asset clean-up sweep."_s, u"N"_s, u"3600"_s);
    const QCommandLineOption assetUploadTtl(u"asset-upload-ttl-hours"_s,
        u"Unfinished asset uploads idle this long are deleted."_s, u"N"_s, u"24"_s);
    const QCommandLineOption assetUnreferenced(u"asset-unreferenced-hours"_s,
        u"Finished assets no message referenced within this are deleted."_s, u"N"_s, u"24"_s);
    const QCommandLineOption assetRetention(
        u"asset-retention-days"_s, u"Every asset older than this is deleted."_s, u"N"_s, u"30"_s);
    parser.addOptions({ help, version, listen, dataDir, logLevel, maxFrame, maxPayload, syncBatch, tokenTtl,
        kdfIterations, heartbeat, maxGroupMembers, typingRate, typingBurst, typingMaxTypists, assetPort,
        assetMaxImage, assetMaxVideo, assetMaxVoice, assetMaxFile, assetChunk, assetSweep, assetUploadTtl,
        assetUnreferenced, assetRetention });

    auto fail = [&](const QString &why) {
        return CommandLine(Action::Fail, {}, why + u"\n\n"_s + parser.helpText());
    };

    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return fail(u"unexpected argument: "_s + parser.positionalArguments().constFirst());
    if (parser.isSet(help))
        return CommandLine(Action::PrintAndExit, {}, parser.helpText());
    if (parser.isSet(version))
        return CommandLine(
            Action::PrintAndExit, {}, QStringLiteral("chattermesh-server " CHATTERMESH_VERSION "\n"));

    ServerConfig config;
    if (!parser.isSet(listen) || !parseListen(parser.value(listen), config))
        return fail(u"--listen HOST:PORT is required (e.g. 127.0.0.1:0)"_s);
    if (!parser.isSet(dataDir) || parser.value(dataDir).isEmpty())
        return fail(u"--data-dir DIR is required"_s);
    config.dataDir = parser.value(dataDir);

    config.logLevel = parser.value(logLevel);
    static const QStringList levels { u"debug"_s, u"info"_s, u"warning"_s, u"error"_s };
    if (!levels.contains(config.logLevel))
        return fail(u"--log-level must be one of debug, info, warning, error"_s);

    struct NumberOption {
        const QCommandLineOption &option;
        qint64 min;
        qint64 max;
        qint64 *target;
    };
    qint64 batch = 0, iterations = 0, heartbeatSeconds = 0, groupMembers = 0, burst = 0, maxTypists = 0;
    qint64 assetPortNumber = 0, imageMb = 0, videoMb = 0, voiceMb = 0, fileMb = 0, chunkKb = 0,
           sweepSeconds = 0;
    const NumberOption numbers[] = {
        { maxFrame, 1024, std::numeric_limits<qint32>::max(), &config.maxFrameBytes },
        { maxPayload, 1, std::numeric_limits<qint32>::max(), &config.maxPayloadBytes },
        { syncBatch, 1, 100000, &batch },
        { tokenTtl, 0, qint64(100) * 365 * 24 * 3600, &config.tokenTtlSeconds },
        { kdfIterations, 1, 100000000, &iterations },
        { heartbeat, 1, 86400, &heartbeatSeconds },
        { maxGroupMembers, 2, 100000, &groupMembers },
        { typingBurst, 1, 1000, &burst },
        { typingMaxTypists, 0, 100000, &maxTypists },
        { assetPort, 0, 65535, &assetPortNumber },
        { assetMaxImage, 1, 1048576, &imageMb },
        { assetMaxVideo, 1, 1048576, &videoMb },
        { assetMaxVoice, 1, 1048576, &voiceMb },
        { assetMaxFile, 1, 1048576, &fileMb },
        { assetChunk, 1, 8192, &chunkKb },
        { assetSweep, 1, 7 * 24 * 3600, &sweepSeconds },
        { assetUploadTtl, 1, 100000, &config.assetUploadTtlHours },
        { assetUnreferenced, 1, 100000, &config.assetUnreferencedHours },
        { assetRetention, 1, 100000, &config.assetRetentionDays },
    };
    for (const NumberOption &n : numbers) {
        const auto value = parseNumber(parser.value(n.option), n.min, n.max);
        if (!value)
            return fail(u"--%1 must be a number from %2 to %3"_s.arg(n.option.names().constFirst())
                            .arg(n.min)
                            .arg(n.max));
        *n.target = *value;
    }
    config.syncBatch = int(batch);
    config.kdfIterations = int(iterations);
    config.heartbeatSeconds = int(heartbeatSeconds);
    config.maxGroupMembers = int(groupMembers);
    config.typingBurst = int(burst);
    config.typingMaxTypists = int(maxTypists);
    config.assetPort = quint16(assetPortNumber);
    config.assetMaxImageBytes = imageMb << 20;
    config.assetMaxVideoBytes = videoMb << 20;
    config.assetMaxVoiceBytes = voiceMb << 20;
    config.assetMaxFileBytes = fileMb << 20;
    config.assetChunkBytes = chunkKb << 10;
    config.assetSweepSeconds = int(sweepSeconds);
    bool rateOk = false;
    config.typingRate = parser.value(typingRate).toDouble(&rateOk);
    if (!rateOk || config.typingRate <= 0 || config.typingRate > 1000)
        return fail(u"--typing-rate must be a number above 0 and at most 1000"_s);
    if (config.maxPayloadBytes >= config.maxFrameBytes)
        return fail(u"--max-payload-bytes must be smaller than --max-frame-bytes"_s);
    return CommandLine(Action::Run, config, {});
}

} // namespace chattermesh::server

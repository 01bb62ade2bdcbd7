// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerOptions.h"

#include <QThread>
#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

using Apply = std::function<std::optional<QString>(const QString &, ServerConfig &)>;

std::optional<qint64> parseNumber(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

std::optional<QString> applyListen(const QString &text, ServerConfig &config)
{
    const QString usage = u"must be HOST:PORT (e.g. 127.0.0.1:0)"_s;
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return usage;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const auto port = parseNumber(text.mid(colon + 1), 0, 65535);
    if (!port)
        return usage;
    QHostAddress address;
    if (host == u"localhost"_s)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return usage;
    config.listenAddress = address;
    config.listenPort = quint16(*port);
    return std::nullopt;
}

Apply oneOf(QStringList allowed, QString ServerConfig::*field)
{
    return [allowed = std::move(allowed), field](const QString &value, ServerConfig &config) {
        if (!allowed.contains(value))
            return std::optional<QString>(u"must be one of "_s + allowed.join(u", "_s));
        config.*field = value;
        return std::optional<QString>();
    };
}

// A whole number from min to max, handed to set (which may scale it).
ServerOption number(QString name, QString help, qint64 defaultValue, qint64 min, qint64 max,
    std::function<void(ServerConfig &, qint64)> set, QString valueName = u"N"_s)
{
    ServerOption option { std::move(name), std::move(valueName), std::move(help),
        QString::number(defaultValue), false, false, {} };
    option.apply = [min, max, set = std::move(set)](const QString &value, ServerConfig &config) {
        const auto parsed = parseNumber(value, min, max);
        if (!parsed)
            return std::optional<QString>(u"must be a number from %1 to %2"_s.arg(min).arg(max));
        set(config, *parsed);
        return std::optional<QString>();
    };
    return option;
}

std::vector<ServerOption> makeOptions()
{
    constexpr qint64 kInt32Max = std::numeric_limits<qint32>::max();
    std::vector<ServerOption> options;
    options.push_back({ u"listen"_s, u"HOST:PORT"_s, u"Address to listen on (port 0: any free port)."_s, {},
        true, false, applyListen });
    options.push_back({ u"data-dir"_s, u"DIR"_s, u"Directory holding server.db."_s, {}, true, false,
        [](const QString &value, ServerConfig &config) {
            if (value.isEmpty())
                return std::optional<QString>(u"must not be empty"_s);
            config.dataDir = value;
            return std::optional<QString>();
        } });
    options.push_back({ u"log-level"_s, u"LEVEL"_s, u"debug, info, warning or error."_s, u"info"_s, false,
        false, oneOf({ u"debug"_s, u"info"_s, u"warning"_s, u"error"_s }, &ServerConfig::logLevel) });
    options.push_back({ u"log-format"_s, u"FORMAT"_s, u"text, or json: one JSON object per line on stderr."_s,
        u"text"_s, false, false, oneOf({ u"text"_s, u"json"_s }, &ServerConfig::logFormat) });
    options.push_back({ u"metrics-token"_s, u"TOKEN"_s,
        u"Require 'Authorization: Bearer TOKEN' on /metrics (health endpoints stay open)."_s, {}, false, true,
        [](const QString &value, ServerConfig &config) {
            for (const QChar c : value)
                if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
                    return std::optional<QString>(u"must be printable ASCII without spaces"_s);
            if (value.isEmpty())
                return std::optional<QString>(u"must not be empty"_s);
            config.metricsToken = value.toLatin1();
            return std::optional<QString>();
        } });
    options.push_back(number(u"max-frame-bytes"_s, u"Largest WebSocket message accepted."_s, 1048576, 1024,
        kInt32Max, [](ServerConfig &c, qint64 v) { c.maxFrameBytes = v; }));
    options.push_back(number(u"max-payload-bytes"_s, u"Largest Send payload accepted."_s, 262144, 1,
        kInt32Max, [](ServerConfig &c, qint64 v) { c.maxPayloadBytes = v; }));
    options.push_back(number(u"sync-batch"_s, u"Mailbox entries per SyncBatch."_s, 500, 1, 100000,
        [](ServerConfig &c, qint64 v) { c.syncBatch = int(v); }));
    options.push_back(number(u"token-ttl-seconds"_s, u"Lifetime of session tokens (0: born expired)."_s,
        2592000, 0, qint64(100) * 365 * 24 * 3600, [](ServerConfig &c, qint64 v) { c.tokenTtlSeconds = v; }));
    options.push_back(number(u"kdf-iterations"_s, u"PBKDF2 iterations for new passwords."_s, 200000, 1,
        100000000, [](ServerConfig &c, qint64 v) { c.kdfIterations = int(v); }));
    options.push_back(number(u"heartbeat-seconds"_s, u"Heartbeat period; silent connections drop after 3x."_s,
        15, 1, 86400, [](ServerConfig &c, qint64 v) { c.heartbeatSeconds = int(v); }));
    options.push_back(number(u"max-group-members"_s, u"Most members a group may have."_s, 1024, 2, 100000,
        [](ServerConfig &c, qint64 v) { c.maxGroupMembers = int(v); }));
    options.push_back({ u"typing-rate"_s, u"N"_s,
        u"Typing frames per second per user and conversation (refill of the bucket)."_s, u"1"_s, false, false,
        [](const QString &value, ServerConfig &config) {
            bool ok = false;
            const double rate = value.toDouble(&ok);
            if (!ok || rate <= 0 || rate > 1000)
                return std::optional<QString>(u"must be a number above 0 and at most 1000"_s);
            config.typingRate = rate;
            return std::optional<QString>();
        } });
    options.push_back(number(u"typing-burst"_s, u"Typing frames a user may send at once per conversation."_s,
        5, 1, 1000, [](ServerConfig &c, qint64 v) { c.typingBurst = int(v); }));
    options.push_back(number(u"typing-max-typists"_s,
        u"Typists forwarded at once per conversation; others are dropped until a slot frees (0: no bound)."_s,
        16, 0, 100000, [](ServerConfig &c, qint64 v) { c.typingMaxTypists = int(v); }));
    options.push_back(number(u"max-connections"_s,
        u"Most WebSocket connections open at once; one more is closed with 1013 (0: no bound)."_s, 20000, 0,
        kInt32Max, [](ServerConfig &c, qint64 v) { c.maxConnections = int(v); }));
    options.push_back(number(u"send-rate"_s,
        u"Send frames per minute per user (refill of the bucket); beyond it RATE_LIMITED (0: no bound)."_s,
        240, 0, 6000000, [](ServerConfig &c, qint64 v) { c.sendRatePerMinute = int(v); }));
    options.push_back(number(u"send-burst"_s, u"Send frames a user may send at once."_s, 60, 1, 1000000,
        [](ServerConfig &c, qint64 v) { c.sendBurst = int(v); }));
    options.push_back(number(u"login-free-attempts"_s,
        u"Failed logins per account before lockouts begin (0: no per-account lockout)."_s, 5, 0, 1000000,
        [](ServerConfig &c, qint64 v) { c.loginFreeAttempts = int(v); }));
    options.push_back(number(u"login-free-attempts-per-address"_s,
        u"Failed logins per client address before lockouts begin (0: no per-address lockout)."_s, 20, 0,
        1000000, [](ServerConfig &c, qint64 v) { c.loginFreeAttemptsPerAddress = int(v); }));
    options.push_back(
        number(u"login-lockout-seconds"_s, u"First login lockout; it doubles with each further failure."_s, 1,
            1, 86400, [](ServerConfig &c, qint64 v) { c.loginLockoutSeconds = int(v); }));
    options.push_back(number(u"login-lockout-max-seconds"_s,
        u"Longest login lockout; failures this long ago are forgotten."_s, 900, 1, 30 * 86400,
        [](ServerConfig &c, qint64 v) { c.loginLockoutMaxSeconds = int(v); }));
    options.push_back(number(u"max-outbound-kb"_s,
        u"Unsent KiB a connection may queue (a client reading too slowly); beyond it the connection is closed and catches up from its mailbox later (0: no bound)."_s,
        8192, 0, qint64(1) << 22, [](ServerConfig &c, qint64 v) { c.maxOutboundBytes = v << 10; }));
    options.push_back(number(u"hello-timeout-seconds"_s,
        u"Time for the WebSocket upgrade, and then for Hello; beyond it the connection is closed (0: no Hello deadline)."_s,
        10, 0, 86400, [](ServerConfig &c, qint64 v) { c.helloTimeoutSeconds = int(v); }));
    options.push_back(number(u"auth-timeout-seconds"_s,
        u"Time from the WebSocket opening to a session; beyond it the connection is closed (0: no deadline)."_s,
        30, 0, 86400, [](ServerConfig &c, qint64 v) { c.authTimeoutSeconds = int(v); }));
    options.push_back(number(u"idle-timeout-seconds"_s,
        u"A connection with no frame from the client for this long is closed (0: 3 x --heartbeat-seconds)."_s,
        0, 0, 86400 * 3, [](ServerConfig &c, qint64 v) { c.idleTimeoutSeconds = int(v); }));
    options.push_back(number(u"network-threads"_s,
        u"Threads that run the WebSocket sockets (handshakes, reading and writing frames); accepting and the protocol stay on the main thread. Default: min(4, CPU cores)."_s,
        std::clamp(QThread::idealThreadCount(), 1, 4), 1, 256,
        [](ServerConfig &c, qint64 v) { c.networkThreads = int(v); }));
    options.push_back(number(
        u"asset-port"_s, u"Port of the HTTP asset service on the --listen address (0: any free port)."_s, 0,
        0, 65535, [](ServerConfig &c, qint64 v) { c.assetPort = quint16(v); }, u"PORT"_s));
    options.push_back(number(u"asset-max-image-mb"_s, u"Largest image asset, in MiB of ciphertext."_s, 16, 1,
        1048576, [](ServerConfig &c, qint64 v) { c.assetMaxImageBytes = v << 20; }));
    options.push_back(number(u"asset-max-video-mb"_s, u"Largest video asset, in MiB of ciphertext."_s, 100, 1,
        1048576, [](ServerConfig &c, qint64 v) { c.assetMaxVideoBytes = v << 20; }));
    options.push_back(number(u"asset-max-voice-mb"_s, u"Largest voice asset, in MiB of ciphertext."_s, 10, 1,
        1048576, [](ServerConfig &c, qint64 v) { c.assetMaxVoiceBytes = v << 20; }));
    options.push_back(number(u"asset-max-file-mb"_s, u"Largest file asset, in MiB of ciphertext."_s, 100, 1,
        1048576, [](ServerConfig &c, qint64 v) { c.assetMaxFileBytes = v << 20; }));
    options.push_back(
        number(u"asset-chunk-kb"_s, u"Most bytes per asset upload or download request, in KiB."_s, 1024, 1,
            8192, [](ServerConfig &c, qint64 v) { c.assetChunkBytes = v << 10; }));
    options.push_back(number(u"asset-sweep-seconds"_s, u"Period of the asset clean-up sweep."_s, 3600, 1,
        7 * 24 * 3600, [](ServerConfig &c, qint64 v) { c.assetSweepSeconds = int(v); }));
    options.push_back(
        number(u"asset-upload-ttl-hours"_s, u"Unfinished asset uploads idle this long are deleted."_s, 24, 1,
            100000, [](ServerConfig &c, qint64 v) { c.assetUploadTtlHours = v; }));
    options.push_back(number(u"asset-unreferenced-hours"_s,
        u"Finished assets no message referenced within this are deleted."_s, 24, 1, 100000,
        [](ServerConfig &c, qint64 v) { c.assetUnreferencedHours = v; }));
    options.push_back(number(u"asset-retention-days"_s, u"Every asset older than this is deleted."_s, 30, 1,
        100000, [](ServerConfig &c, qint64 v) { c.assetRetentionDays = v; }));
    // TLS (docs/operations.md, *TLS*). The files are read and checked when the server starts.
    auto path = [](QString ServerConfig::*field) {
        return [field](const QString &value, ServerConfig &config) {
            if (value.isEmpty())
                return std::optional<QString>(u"must not be empty"_s);
            config.*field = value;
            return std::optional<QString>();
        };
    };
    options.push_back({ u"tls-cert"_s, u"FILE"_s,
        u"PEM certificate (chain) to serve wss:// and https:// with; needs --tls-key."_s, {}, false, false,
        path(&ServerConfig::tlsCertFile) });
    options.push_back({ u"tls-key"_s, u"FILE"_s, u"PEM private key of --tls-cert (unencrypted)."_s, {}, false,
        false, path(&ServerConfig::tlsKeyFile) });
    // No value on the command line (a switch); "true" or "false" in the config file.
    options.push_back({ u"insecure"_s, {},
        u"Allow plain ws:// and http:// on a non-loopback --listen address (e.g. behind a TLS proxy)."_s, {},
        false, false, [](const QString &value, ServerConfig &config) {
            if (value != u"true"_s && value != u"false"_s)
                return std::optional<QString>(u"must be true or false"_s);
            config.insecure = value == u"true"_s;
            return std::optional<QString>();
        } });
    options.push_back({ u"faults"_s, u"SPEC"_s,
        u"TESTING ONLY: inject faults into WebSocket frames both ways, e.g. drop=0.01,dup=0.01,delay=5-50ms,reorder=0.01,disconnect=0.001 (off: none)."_s,
        {}, false, false, [](const QString &value, ServerConfig &config) {
            auto spec = FaultSpec::parse(value);
            if (!spec.ok())
                return std::optional<QString>(spec.error().message);
            config.faults = spec.value();
            return std::optional<QString>();
        } });
    options.push_back(number(u"faults-seed"_s,
        u"Seed of --faults; the same seed and the same frames give the same faults (0: pick one and log it)."_s,
        0, 0, std::numeric_limits<qint64>::max(),
        [](ServerConfig &c, qint64 v) { c.faultsSeed = quint64(v); }));
    return options;
}

} // namespace

const std::vector<ServerOption> &serverOptions()
{
    static const std::vector<ServerOption> options = makeOptions();
    return options;
}

} // namespace chattermesh::server

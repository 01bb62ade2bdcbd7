// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandLine.h"

#include "ConfigFile.h"
#include "ServerOptions.h"

#include <QCommandLineParser>
#include <QHash>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

// Where an option's value came from, for the error that names it.
struct Setting {
    QString value;
    int configLine = 0; // > 0: line of the config file; 0: the command line or the default
    bool fromDefault = false;
};

} // namespace

CommandLine::CommandLine(Action action, ServerConfig config, QString text)
    : m_action(action), m_config(std::move(config)), m_text(std::move(text))
{ }

CommandLine CommandLine::parse(const QStringList &arguments)
{
    const std::vector<ServerOption> &options = serverOptions();
    QCommandLineParser parser;
    parser.setApplicationDescription(u"ChatterMesh reference server. Every option except --help, --version "
                                     "and --config may also be set in the --config file as `name = value`; "
                                     "the command line wins."_s);
    const QCommandLineOption help(QStringList { u"h"_s, u"help"_s }, u"Show this help."_s);
    const QCommandLineOption version(u"version"_s, u"Print the version and exit."_s);
    const QCommandLineOption config(u"config"_s, u"Read options from FILE (key = value lines)."_s, u"FILE"_s);
    parser.addOptions({ help, version, config });
    QStringList keys;
    for (const ServerOption &option : options) {
        QString text = option.help;
        if (!option.defaultValue.isEmpty())
            text += u" Default: "_s + option.defaultValue + u'.';
        if (option.required)
            text += u" Required."_s;
        parser.addOption(QCommandLineOption(option.name, text, option.valueName));
        keys.append(option.name);
    }

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

    // Defaults, then the file, then the command line.
    QHash<QString, Setting> settings;
    for (const ServerOption &option : options)
        if (!option.defaultValue.isEmpty())
            settings.insert(option.name, Setting { option.defaultValue, 0, true });
    const QString configPath = parser.value(config);
    if (parser.isSet(config)) {
        const auto entries = ConfigFile::read(configPath, keys);
        if (!entries.ok())
            return CommandLine(Action::Fail, {}, entries.error().message + u'\n');
        for (const ConfigEntry &entry : entries.value())
            settings.insert(entry.key, Setting { entry.value, entry.line });
    }
    for (const ServerOption &option : options)
        if (parser.isSet(option.name))
            settings.insert(option.name,
                Setting { option.valueName.isEmpty() ? u"true"_s : parser.value(option.name), 0 });

    ServerConfig result;
    for (const ServerOption &option : options) {
        const auto found = settings.constFind(option.name);
        if (found == settings.cend()) {
            if (option.required)
                return fail(u"--%1 %2 is required (on the command line or in --config)"_s.arg(
                    option.name, option.valueName));
            continue;
        }
        const auto wrong = option.apply(found->value, result);
        if (!wrong)
            continue;
        if (found->configLine > 0)
            return CommandLine(Action::Fail, {},
                ConfigFile::error(
                    ConfigError::BadValue, configPath, found->configLine, option.name + u' ' + *wrong)
                        .message
                    + u'\n');
        return fail(u"--"_s + option.name + u' ' + *wrong);
    }
    if (result.idleTimeoutSeconds > 0 && result.idleTimeoutSeconds <= result.heartbeatSeconds)
        return fail(u"--idle-timeout-seconds must be 0 or more than --heartbeat-seconds"_s);
    if (result.tlsCertFile.isEmpty() != result.tlsKeyFile.isEmpty())
        return fail(u"--tls-cert and --tls-key go together: give both or neither"_s);
    // A mailbox entry carries up to two payload-sized ciphertexts, and one entry must fit a SyncBatch.
    if (2 * result.maxPayloadBytes + ServerConfig::kEntryHeadroom + ServerConfig::kFrameHeadroom
        > result.syncBatchBytes())
        return fail(u"--max-payload-bytes must be at most (min(--max-frame-bytes, %1) - %2) / 2"_s
                        .arg(proto::kClientFrameBytes)
                        .arg(ServerConfig::kEntryHeadroom + ServerConfig::kFrameHeadroom));
    return CommandLine(Action::Run, result, {});
}

} // namespace chattermesh::server

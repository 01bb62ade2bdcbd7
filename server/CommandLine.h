// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ServerConfig.h"

#include <QStringList>

namespace chattermesh::server {

// Turns argv into a ServerConfig, or into text to print and an exit code.
class CommandLine {
public:
    enum class Action {
        Run, // start the server with config()
        PrintAndExit, // print text() to stdout, exit 0 (--help, --version)
        Fail, // print text() to stderr, exit 2
    };

    static CommandLine parse(const QStringList &arguments);

    Action action() const { return m_action; }
    const ServerConfig &config() const { return m_config; }
    const QString &text() const { return m_text; }

private:
    CommandLine(Action action, ServerConfig config, QString text);

    Action m_action;
    ServerConfig m_config;
    QString m_text;
};

} // namespace chattermesh::server

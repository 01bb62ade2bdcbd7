// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ServerConfig.h"

#include <QString>
#include <functional>
#include <optional>
#include <vector>

namespace chattermesh::server {

// One setting of the server: a long flag `--name VALUE` and the config file key `name`, from one
// table, so the two can never drift apart.
struct ServerOption {
    QString name;
    QString valueName; // empty: a switch without a value on the command line ("true" when given)
    QString help;
    QString defaultValue; // applied when neither the file nor the command line sets it; empty: none
    bool required = false;
    bool secret = false; // the value is never echoed back (errors, help)
    // Stores value in config; on a bad value, what is wrong with it ("must be a number from 1 to 5").
    std::function<std::optional<QString>(const QString &value, ServerConfig &config)> apply;
};

// Every option, in the order --help lists them. --help, --version and --config are not here: they
// are command-line only.
const std::vector<ServerOption> &serverOptions();

} // namespace chattermesh::server

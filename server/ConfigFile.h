// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace chattermesh::server {

// Why a configuration was refused; Failure::message names the file, the line and the key.
enum class ConfigError { Unreadable, Syntax, UnknownKey, DuplicateKey, BadValue };

struct ConfigEntry {
    QString key;
    QString value;
    int line = 0;
};

// The --config file (docs/operations.md): UTF-8 lines of `key = value`, where every key is the name
// of a long flag without its dashes. Blank lines and lines starting with # or ; are skipped; a value
// may be wrapped in double quotes to keep surrounding spaces. Sections, repeated keys and unknown keys
// are errors.
class ConfigFile {
public:
    static Result<std::vector<ConfigEntry>, ConfigError> read(
        const QString &path, const QStringList &knownKeys);
    static Result<std::vector<ConfigEntry>, ConfigError> parse(
        const QByteArray &text, const QString &fileName, const QStringList &knownKeys);

    // "<file> line <n>: <what>", for errors found after parsing (a bad value).
    static Failure<ConfigError> error(
        ConfigError kind, const QString &fileName, int line, const QString &what);
};

} // namespace chattermesh::server

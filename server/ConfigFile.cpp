// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConfigFile.h"

#include <QFile>
#include <QSet>

using namespace Qt::StringLiterals;

namespace chattermesh::server {

Failure<ConfigError> ConfigFile::error(
    ConfigError kind, const QString &fileName, int line, const QString &what)
{
    return { kind, u"%1 line %2: %3"_s.arg(fileName).arg(line).arg(what) };
}

Result<std::vector<ConfigEntry>, ConfigError> ConfigFile::read(
    const QString &path, const QStringList &knownKeys)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Failure<ConfigError> { ConfigError::Unreadable,
            u"cannot read config file %1: %2"_s.arg(path, file.errorString()) };
    return parse(file.readAll(), path, knownKeys);
}

Result<std::vector<ConfigEntry>, ConfigError> ConfigFile::parse(
    const QByteArray &text, const QString &fileName, const QStringList &knownKeys)
{
    std::vector<ConfigEntry> entries;
    QSet<QString> seen;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int number = int(i) + 1;
        const QString line = QString::fromUtf8(lines.at(i)).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        const qsizetype equals = line.indexOf(u'=');
        if (equals < 0)
            return error(ConfigError::Syntax, fileName, number, u"expected key = value"_s);
        const QString key = line.left(equals).trimmed();
        QString value = line.mid(equals + 1).trimmed();
        if (key.isEmpty())
            return error(ConfigError::Syntax, fileName, number, u"expected key = value"_s);
        if (!knownKeys.contains(key))
            return error(ConfigError::UnknownKey, fileName, number, u"unknown key \"%1\""_s.arg(key));
        if (seen.contains(key))
            return error(ConfigError::DuplicateKey, fileName, number, u"key \"%1\" is set twice"_s.arg(key));
        if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
            value = value.mid(1, value.size() - 2);
        seen.insert(key);
        entries.push_back({ key, value, number });
    }
    return entries;
}

} // namespace chattermesh::server

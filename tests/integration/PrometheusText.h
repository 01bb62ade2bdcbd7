// SPDX-License-Identifier: GPL-3.0-or-later
// A strict reader of Prometheus text exposition format 0.0.4 for tests: every sample belongs to the
// family declared (# TYPE) just before it, label syntax is checked character by character, series
// are unique, counters end in _total, and every histogram's buckets are cumulative, in rising `le`
// order, end in +Inf and agree with _count.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>
#include <cmath>
#include <limits>
#include <optional>

namespace chattermesh::test {

class PrometheusText {
public:
    using Labels = QMap<QString, QString>;

    // True if the whole text is valid; otherwise error() names the line and the rule broken.
    bool parse(const QByteArray &text)
    {
        if (!text.isEmpty() && !text.endsWith('\n'))
            return fail(0, QStringLiteral("the text does not end with a newline"));
        const QList<QByteArray> lines = text.split('\n');
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            if (!parseLine(int(i) + 1, QString::fromUtf8(lines.at(i))))
                return false;
        }
        return checkHistograms();
    }
    QString error() const { return m_error; }

    QString typeOf(const QString &family) const { return m_types.value(family); }
    bool has(const QString &name, const Labels &labels = {}) const
    {
        return m_values.contains(key(name, labels));
    }
    // The sample's value; 0 when the series is absent (a labelled counter not yet touched).
    double value(const QString &name, const Labels &labels = {}) const
    {
        return m_values.value(key(name, labels), 0.0);
    }

private:
    struct Bucket {
        double le;
        double count;
    };

    static QString key(const QString &name, const Labels &labels)
    {
        QStringList parts;
        for (auto it = labels.cbegin(); it != labels.cend(); ++it)
            parts.append(it.key() + QStringLiteral("=\"") + it.value() + QLatin1Char('"'));
        return parts.isEmpty() ? name
                               : name + QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
    }
    bool fail(int line, const QString &why)
    {
        m_error = QStringLiteral("line %1: %2").arg(line).arg(why);
        return false;
    }
    static bool validMetricName(const QString &name)
    {
        static const QRegularExpression re(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
        return re.match(name).hasMatch();
    }
    static std::optional<double> number(const QString &text)
    {
        if (text == QStringLiteral("+Inf"))
            return std::numeric_limits<double>::infinity();
        if (text == QStringLiteral("-Inf"))
            return -std::numeric_limits<double>::infinity();
        if (text == QStringLiteral("NaN"))
            return std::numeric_limits<double>::quiet_NaN();
        bool ok = false;
        const double v = text.toDouble(&ok);
        return ok ? std::optional<double>(v) : std::nullopt;
    }

    bool parseLine(int n, const QString &line)
    {
        if (line.isEmpty())
            return true;
        if (line.startsWith(QLatin1Char('#'))) {
            const QStringList words = line.split(QLatin1Char(' '));
            if (words.size() >= 3
                && (words[1] == QStringLiteral("HELP") || words[1] == QStringLiteral("TYPE")))
                return parseMeta(n, words);
            return true; // a plain comment
        }
        return parseSample(n, line);
    }

    bool parseMeta(int n, const QStringList &words)
    {
        const QString &family = words[2];
        if (!validMetricName(family))
            return fail(n, QStringLiteral("bad metric name ") + family);
        if (m_closed.contains(family))
            return fail(n, QStringLiteral("lines of %1 are not grouped together").arg(family));
        if (family != m_current && !m_current.isEmpty())
            m_closed.insert(m_current);
        m_current = family;
        if (words[1] == QStringLiteral("HELP")) {
            if (m_helped.contains(family))
                return fail(n, QStringLiteral("second HELP for ") + family);
            m_helped.insert(family);
            return true;
        }
        if (words.size() != 4)
            return fail(n, QStringLiteral("TYPE takes exactly one type"));
        static const QStringList types { QStringLiteral("counter"), QStringLiteral("gauge"),
            QStringLiteral("histogram"), QStringLiteral("summary"), QStringLiteral("untyped") };
        if (!types.contains(words[3]))
            return fail(n, QStringLiteral("unknown type ") + words[3]);
        if (m_types.contains(family))
            return fail(n, QStringLiteral("second TYPE for ") + family);
        if (m_sampled.contains(family))
            return fail(n, QStringLiteral("TYPE after samples of ") + family);
        if (words[3] == QStringLiteral("counter") && !family.endsWith(QStringLiteral("_total")))
            return fail(n, QStringLiteral("counter %1 does not end in _total").arg(family));
        m_types.insert(family, words[3]);
        return true;
    }

    // name{label="value",...} value [timestamp]
    bool parseSample(int n, const QString &line)
    {
        qsizetype i = 0;
        while (i < line.size() && line[i] != QLatin1Char('{') && line[i] != QLatin1Char(' '))
            ++i;
        const QString name = line.left(i);
        if (!validMetricName(name))
            return fail(n, QStringLiteral("bad metric name ") + name);
        Labels labels;
        if (i < line.size() && line[i] == QLatin1Char('{') && !parseLabels(n, line, ++i, labels))
            return false;
        if (i >= line.size() || line[i] != QLatin1Char(' '))
            return fail(n, QStringLiteral("no space before the value"));
        const QStringList rest = line.mid(i + 1).split(QLatin1Char(' '));
        if (rest.isEmpty() || rest.size() > 2)
            return fail(n, QStringLiteral("expected a value and an optional timestamp"));
        const auto value = number(rest[0]);
        if (!value)
            return fail(n, QStringLiteral("bad value ") + rest[0]);
        return addSample(n, name, labels, *value);
    }

    bool parseLabels(int n, const QString &line, qsizetype &i, Labels &labels)
    {
        static const QRegularExpression labelName(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
        for (;;) {
            if (i < line.size() && line[i] == QLatin1Char('}')) {
                ++i;
                return true;
            }
            const qsizetype eq = line.indexOf(QLatin1Char('='), i);
            if (eq < 0)
                return fail(n, QStringLiteral("label without ="));
            const QString lname = line.mid(i, eq - i);
            if (!labelName.match(lname).hasMatch() || lname.startsWith(QStringLiteral("__")))
                return fail(n, QStringLiteral("bad label name ") + lname);
            if (labels.contains(lname))
                return fail(n, QStringLiteral("label %1 twice").arg(lname));
            i = eq + 1;
            if (i >= line.size() || line[i] != QLatin1Char('"'))
                return fail(n, QStringLiteral("label value not quoted"));
            QString value;
            for (++i;; ++i) {
                if (i >= line.size())
                    return fail(n, QStringLiteral("unterminated label value"));
                const QChar c = line[i];
                if (c == QLatin1Char('"'))
                    break;
                if (c == QLatin1Char('\\')) {
                    if (++i >= line.size())
                        return fail(n, QStringLiteral("dangling escape"));
                    const QChar e = line[i];
                    if (e == QLatin1Char('n'))
                        value += QLatin1Char('\n');
                    else if (e == QLatin1Char('\\') || e == QLatin1Char('"'))
                        value += e;
                    else
                        return fail(n, QStringLiteral("bad escape \\") + e);
                } else {
                    value += c;
                }
            }
            labels.insert(lname, value);
            ++i; // closing quote
            if (i < line.size() && line[i] == QLatin1Char(','))
                ++i;
            else if (i >= line.size() || line[i] != QLatin1Char('}'))
                return fail(n, QStringLiteral("expected , or } after a label"));
        }
    }

    bool addSample(int n, const QString &name, Labels labels, double value)
    {
        QString family = name;
        QString suffix;
        if (!m_types.contains(name)) {
            for (const QString &s :
                { QStringLiteral("_bucket"), QStringLiteral("_sum"), QStringLiteral("_count") }) {
                if (name.endsWith(s)
                    && m_types.value(name.chopped(s.size())) == QStringLiteral("histogram")) {
                    family = name.chopped(s.size());
                    suffix = s;
                }
            }
        }
        if (!m_types.contains(family))
            return fail(n, QStringLiteral("sample %1 of no declared family").arg(name));
        if (family != m_current)
            return fail(n, QStringLiteral("sample %1 outside its family's group").arg(name));
        const QString type = m_types.value(family);
        if (type == QStringLiteral("histogram") && suffix.isEmpty())
            return fail(n, QStringLiteral("histogram sample without _bucket/_sum/_count"));
        if (type == QStringLiteral("counter") && (value < 0 || std::isnan(value)))
            return fail(n, QStringLiteral("negative counter"));
        if (suffix == QStringLiteral("_bucket")) {
            if (!labels.contains(QStringLiteral("le")))
                return fail(n, QStringLiteral("bucket without le"));
            const auto le = number(labels.take(QStringLiteral("le")));
            if (!le)
                return fail(n, QStringLiteral("bad le"));
            auto &buckets = m_buckets[key(family, labels)];
            if (!buckets.isEmpty() && !(*le > buckets.constLast().le))
                return fail(n, QStringLiteral("le not rising"));
            if (!buckets.isEmpty() && value < buckets.constLast().count)
                return fail(n, QStringLiteral("buckets not cumulative"));
            buckets.append({ *le, value });
            labels.insert(
                QStringLiteral("le"), std::isinf(*le) ? QStringLiteral("+Inf") : QString::number(*le));
        }
        const QString k = key(name, labels);
        if (m_values.contains(k))
            return fail(n, QStringLiteral("series %1 twice").arg(k));
        m_values.insert(k, value);
        m_sampled.insert(family);
        return true;
    }

    bool checkHistograms()
    {
        for (auto it = m_buckets.cbegin(); it != m_buckets.cend(); ++it) {
            const QString &series = it.key(); // family{labels without le}
            const qsizetype brace = series.indexOf(QLatin1Char('{'));
            const QString family = brace < 0 ? series : series.left(brace);
            const QString labels = brace < 0 ? QString() : series.mid(brace);
            if (it->isEmpty() || !std::isinf(it->constLast().le))
                return fail(0, QStringLiteral("%1 has no +Inf bucket").arg(series));
            const QString count = family + QStringLiteral("_count") + labels;
            if (!m_values.contains(count) || m_values.value(count) != it->constLast().count)
                return fail(0, QStringLiteral("%1: +Inf bucket differs from _count").arg(series));
            if (!m_values.contains(family + QStringLiteral("_sum") + labels))
                return fail(0, QStringLiteral("%1 has no _sum").arg(series));
        }
        return true;
    }

    QString m_error;
    QString m_current;
    QSet<QString> m_closed, m_helped, m_sampled;
    QHash<QString, QString> m_types;
    QHash<QString, double> m_values;
    QHash<QString, QList<Bucket>> m_buckets;
};

} // namespace chattermesh::test

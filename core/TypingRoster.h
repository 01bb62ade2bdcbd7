// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Clock.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace chattermesh::core {

// Who is typing in which conversation, as told by the typing events we receive. A typist who goes
// quiet without a false (closed the app, lost the network) is dropped ExpiryMs after their last
// refresh; the owner arms one timer on nextDeadlineMs() and calls expire().
class TypingRoster {
public:
    // One missed refresh (TypingSender::RefreshIntervalMs) plus room for network jitter.
    static constexpr qint64 ExpiryMs = 6'000;

    explicit TypingRoster(const sync::Clock *clock);

    // Each returns whether what the conversation shows changed.
    bool received(quint64 conversation, const QString &user, bool typing);
    bool messageFrom(quint64 conversation, const QString &user);
    bool forget(quint64 conversation);
    // Drops stale typists; returns the conversations whose typists changed, in ascending order.
    QList<quint64> expire();
    // Absolute time (ms since the epoch) at which expire() has work to do; 0 when none.
    qint64 nextDeadlineMs() const;

    // In the order they started typing, so names do not jump around as refreshes arrive.
    QStringList typists(quint64 conversation) const;
    QList<quint64> conversations() const { return m_typists.keys(); }

    static QString summary(const QStringList &names);

private:
    struct Typist {
        QString user;
        qint64 refreshedMs = 0;
    };

    bool remove(quint64 conversation, const QString &user);

    const sync::Clock *m_clock;
    QHash<quint64, QList<Typist>> m_typists;
};

} // namespace chattermesh::core

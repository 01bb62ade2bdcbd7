// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

namespace chattermesh::server {

// Turns SIGTERM/SIGINT into a Qt signal. The handler only writes the signal number to a socketpair
// (async-signal-safe); the event loop reads it, so no Qt code ever runs inside the handler.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

    bool install(); // false if the socketpair or sigaction failed

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace chattermesh::server

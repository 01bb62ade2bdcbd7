// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Engine.h"

#include <QObject>
#include <QSocketNotifier>
#include <QTextStream>

namespace chattermesh::cli {

// Runs one command of chattermesh-cli against an engine and prints what happens as
// tab-separated lines on stdout (easy for people to read and for tests to parse).
class CliSession : public QObject {
    Q_OBJECT
public:
    struct Command {
        QString verb;
        QStringList args;
        bool fromStdin = false;
        int count = 0; // listen: exit after this many new messages
        int limit = 50; // history
    };

    CliSession(core::Engine *engine, Command command, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onAuthenticated();
    void onCaughtUp();
    void readStdin();
    void queue(const QString &peer, const QString &text);
    void maybeDone();
    void sendGroupChange();
    // Media commands (CliMedia.cpp).
    void connectTransfers();
    void startMedia();
    void onTransferChanged(
        qint64 localId, core::TransferState state, core::MediaError error, const QString &why);
    void drawProgress(qint64 done, qint64 total);
    static QString where(const core::StoredMessage &m); // a peer, or #id for a group
    void print(const QStringList &fields);
    void failWith(const QString &what, int code = 1);

    core::Engine *m_engine;
    Command m_cmd;
    QTextStream m_out;
    QSocketNotifier *m_stdin = nullptr;
    QByteArray m_stdinBuffer;
    bool m_stdinDone = false;
    bool m_caughtUp = false;
    int m_queued = 0;
    int m_received = 0;
    bool m_groupSent = false;
    qint64 m_fetching = 0; // fetch: the message whose attachment is downloading
    bool m_progressBar = false; // stderr is a terminal
};

} // namespace chattermesh::cli

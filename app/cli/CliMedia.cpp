// SPDX-License-Identifier: GPL-3.0-or-later
// chattermesh-cli's media commands: send-file and fetch, with machine-readable progress lines on
// stdout and a progress bar on stderr when it is a terminal.
#include "CliSession.h"

#include <QFile>
#include <unistd.h>

namespace chattermesh::cli {

using namespace Qt::StringLiterals;
using core::Engine;
using core::MediaError;
using core::TransferState;

void CliSession::connectTransfers()
{
    m_progressBar = isatty(STDERR_FILENO) != 0;
    connect(m_engine, &Engine::transferStarted, this, [this](qint64 id, qint64 offset, qint64 total) {
        print({ offset > 0 ? u"resumed"_s : u"started"_s, QString::number(id), QString::number(offset),
            QString::number(total) });
    });
    connect(m_engine, &Engine::transferProgress, this, [this](qint64 id, qint64 done, qint64 total) {
        print({ u"progress"_s, QString::number(id), QString::number(done), QString::number(total) });
        drawProgress(done, total);
    });
    connect(m_engine, &Engine::transferRetrying, this,
        [this](qint64 id, MediaError e, const QString &why, int delayMs) {
            print({ u"retrying"_s, QString::number(id), core::mediaErrorName(e), why,
                QString::number(delayMs) + u"ms"_s });
        });
    connect(m_engine, &Engine::transferChanged, this, &CliSession::onTransferChanged);
}

void CliSession::drawProgress(qint64 done, qint64 total)
{
    if (!m_progressBar || total <= 0)
        return;
    constexpr int kWidth = 30;
    const int filled = int(kWidth * done / total);
    QTextStream(stderr) << '\r' << '[' << QString(filled, u'#') << QString(kWidth - filled, u' ') << "] "
                        << qRound(100.0 * double(done) / double(total)) << "% "
                        << QString::number(double(done) / 1048576.0, 'f', 1) << '/'
                        << QString::number(double(total) / 1048576.0, 'f', 1) << " MiB"
                        << (done >= total ? "\n" : "") << Qt::flush;
}

void CliSession::onTransferChanged(qint64 id, TransferState state, MediaError error, const QString &why)
{
    const auto t = m_engine->transferOf(id);
    if (state == TransferState::Failed) {
        print({ u"transfer-failed"_s, QString::number(id), core::mediaErrorName(error), why });
        if (m_cmd.verb == u"send-file" || (m_cmd.verb == u"fetch" && id == m_fetching))
            return failWith(u"%1\t%2"_s.arg(core::mediaErrorName(error), why), 6);
    } else if (state == TransferState::Done && t) {
        print({ t->upload ? u"uploaded"_s : u"downloaded"_s, QString::number(id) });
        if (m_cmd.verb == u"fetch" && id == m_fetching) {
            // Decrypted only now, as it is written where the user asked.
            std::unique_ptr<QIODevice> in(m_engine->openMedia(id));
            QFile out(m_cmd.args.value(1));
            if (!in || !out.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return failWith(u"cannot write %1"_s.arg(out.fileName()), 4);
            while (!in->atEnd())
                out.write(in->read(1 << 20));
            print({ u"saved"_s, out.fileName(), QString::number(out.size()) });
            return Q_EMIT finished(0);
        }
    }
    maybeDone();
}

void CliSession::startMedia()
{
    if (m_cmd.args.size() < 2)
        return failWith(u"usage: send-file PEER|#GROUP PATH [CAPTION...] | fetch PEER|#GROUP OUTPUT"_s, 2);
    const QString to = m_cmd.args[0];
    const bool group = to.startsWith(u'#');
    if (m_cmd.verb == u"send-file") {
        Engine::MediaTarget target;
        if (group)
            target.group = to.mid(1).toLongLong();
        else
            target.peer = to;
        auto r = m_engine->sendMedia(target, m_cmd.args[1], m_cmd.args.mid(2).join(u' '));
        if (!r)
            return failWith(u"%1\t%2"_s.arg(core::mediaErrorName(r.error().code), r.error().message), 6);
        print({ u"queued"_s, QString::number(r.value().localId),
            QString::fromLatin1(r.value().clientMsgId.toHex()) });
        m_stdinDone = true;
        return;
    }
    // fetch: the newest attachment in that conversation.
    auto page
        = group ? m_engine->groupHistory(to.mid(1).toLongLong(), 0, 1000) : m_engine->history(to, 0, 1000);
    if (!page)
        return failWith(page.error().message, 4);
    for (auto it = page.value().crbegin(); it != page.value().crend(); ++it) {
        if (it->kind == core::MessageKind::Media) {
            m_fetching = it->localId;
            break;
        }
    }
    if (m_fetching == 0)
        return failWith(u"NOT_FOUND\tno attachment in that conversation"_s, 6);
    m_engine->download(m_fetching);
}

} // namespace chattermesh::cli

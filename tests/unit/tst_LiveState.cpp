// SPDX-License-Identifier: GPL-3.0-or-later
// Typing, presence and message progress: the live state of a conversation, driven by a manual clock.
#include "Clock.h"
#include "MessageProgress.h"
#include "PresenceBook.h"
#include "TypingRoster.h"
#include "TypingSender.h"

#include <QDateTime>
#include <QLocale>
#include <QTest>
#include <utility>

using namespace chattermesh;
using namespace Qt::StringLiterals;

using core::Progress;
using Sends = QList<std::pair<quint64, bool>>;

namespace {

constexpr quint64 Chat = 7;
constexpr quint64 Other = 9;

qint64 localMs(int y, int m, int d, int h, int min)
{
    return QDateTime(QDate(y, m, d), QTime(h, min)).toMSecsSinceEpoch();
}

core::PresenceState seen(qint64 lastSeenMs)
{
    return { true, false, lastSeenMs, false };
}

} // namespace

class tst_LiveState : public QObject {
    Q_OBJECT

    sync::ManualClock m_clock;
    Sends m_sends;

    core::TypingSender makeSender()
    {
        m_sends.clear();
        return core::TypingSender(&m_clock, [this](quint64 c, bool typing) {
            m_sends.append({ c, typing });
        });
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Month names in describe() come from the locale; pin it so the expected texts hold anywhere.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    // --- TypingSender ---

    void typingStartsOnFirstKeystrokeThatLeavesText()
    {
        auto sender = makeSender();
        QCOMPARE(sender.nextDeadlineMs(), 0);
        sender.edited(Chat, true); // e.g. a backspace in an empty composer
        QVERIFY(m_sends.isEmpty());
        QCOMPARE(sender.nextDeadlineMs(), 0);

        const qint64 start = m_clock.nowMs();
        sender.edited(Chat, false);
        QCOMPARE(m_sends, (Sends { { Chat, true } }));
        QVERIFY(sender.isTyping(Chat));
        QCOMPARE(sender.nextDeadlineMs(), start + core::TypingSender::IdleTimeoutMs);
    }

    void typingRefreshesAtMostEveryThreeSeconds()
    {
        auto sender = makeSender();
        sender.edited(Chat, false);
        for (int i = 0; i < 29; ++i) { // a keystroke every 100 ms up to 2.9 s
            m_clock.advance(100);
            sender.edited(Chat, false);
        }
        m_clock.advance(99);
        sender.edited(Chat, false); // 2.999 s after the true
        QCOMPARE(m_sends, (Sends { { Chat, true } }));

        m_clock.advance(1);
        sender.edited(Chat, false); // 3 s: refresh
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, true } }));

        m_clock.advance(2'000);
        sender.edited(Chat, false);
        QCOMPARE(m_sends.size(), 2);
        m_clock.advance(1'000);
        sender.edited(Chat, false);
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, true }, { Chat, true } }));
    }

    void typingStopsOnSend()
    {
        auto sender = makeSender();
        sender.edited(Chat, false);
        m_clock.advance(1'000);
        sender.sent(Chat);
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, false } }));
        QVERIFY(!sender.isTyping(Chat));

        sender.edited(Chat, true); // the composer clears after sending: nothing more to say
        sender.sent(Chat);
        QCOMPARE(m_sends.size(), 2);
        QCOMPARE(sender.nextDeadlineMs(), 0);
    }

    void typingStopsOnClearingComposer()
    {
        auto sender = makeSender();
        sender.edited(Chat, false);
        m_clock.advance(500);
        sender.edited(Chat, true);
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, false } }));
        sender.edited(Chat, true);
        QCOMPARE(m_sends.size(), 2); // never false when not typing
        QCOMPARE(sender.nextDeadlineMs(), 0);
    }

    void typingStopsAfterFiveSecondsIdle()
    {
        auto sender = makeSender();
        sender.edited(Chat, false);
        m_clock.advance(4'000);
        sender.edited(Chat, false); // refresh (4 s ≥ 3 s) and a new idle start
        QCOMPARE(m_sends.size(), 2);
        const qint64 lastEdit = m_clock.nowMs();
        QCOMPARE(sender.nextDeadlineMs(), lastEdit + 5'000);

        m_clock.advance(4'999);
        sender.expire();
        QCOMPARE(m_sends.size(), 2);
        QVERIFY(sender.isTyping(Chat));

        m_clock.advance(1);
        sender.expire();
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, true }, { Chat, false } }));
        QCOMPARE(sender.nextDeadlineMs(), 0);
        sender.expire();
        sender.sent(Chat);
        QCOMPARE(m_sends.size(), 3);
    }

    void typingRestartWithinThreeSecondsIsDeferred()
    {
        auto sender = makeSender();
        const qint64 firstTrue = m_clock.nowMs();
        sender.edited(Chat, false);
        m_clock.advance(1'000);
        sender.edited(Chat, true);
        m_clock.advance(500);
        sender.edited(Chat, false); // typing again 1.5 s after the first true
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, false } }));
        QVERIFY(!sender.isTyping(Chat));
        QCOMPARE(sender.nextDeadlineMs(), firstTrue + 3'000);

        m_clock.set(firstTrue + 2'999);
        sender.expire();
        QCOMPARE(m_sends.size(), 2);
        m_clock.set(firstTrue + 3'000);
        sender.expire();
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, false }, { Chat, true } }));
        QVERIFY(sender.isTyping(Chat));
        QCOMPARE(sender.nextDeadlineMs(), firstTrue + 1'500 + 5'000); // idle from the last edit
    }

    void typingDeferredRestartCancelledByClearing()
    {
        auto sender = makeSender();
        sender.edited(Chat, false);
        sender.sent(Chat);
        m_clock.advance(1'000);
        sender.edited(Chat, false); // deferred
        sender.edited(Chat, true); // cleared before it went out
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Chat, false } })); // no false for a true never sent
        m_clock.advance(10'000);
        sender.expire();
        QCOMPARE(m_sends.size(), 2);
        QCOMPARE(sender.nextDeadlineMs(), 0);
    }

    void typingConversationsAreIndependent()
    {
        auto sender = makeSender();
        sender.edited(Chat, false);
        m_clock.advance(1'000);
        sender.edited(Other, false);
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Other, true } }));
        QCOMPARE(sender.nextDeadlineMs(), m_clock.nowMs() - 1'000 + 5'000);
        sender.sent(Other);
        QVERIFY(sender.isTyping(Chat));
        m_clock.advance(4'000);
        sender.expire();
        QCOMPARE(m_sends, (Sends { { Chat, true }, { Other, true }, { Other, false }, { Chat, false } }));
    }

    // --- TypingRoster ---

    void rosterShowsTypistsInStartOrder()
    {
        core::TypingRoster roster(&m_clock);
        QCOMPARE(roster.nextDeadlineMs(), 0);
        QVERIFY(roster.received(Chat, u"ben"_s, true));
        m_clock.advance(100);
        QVERIFY(roster.received(Chat, u"ana"_s, true));
        QVERIFY(roster.received(Other, u"cy"_s, true));
        m_clock.advance(100);
        QVERIFY(!roster.received(Chat, u"ben"_s, true)); // a refresh does not move ben
        QCOMPARE(roster.typists(Chat), (QStringList { u"ben"_s, u"ana"_s }));
        QCOMPARE(roster.typists(Other), QStringList { u"cy"_s });

        QVERIFY(roster.received(Chat, u"ben"_s, false));
        QVERIFY(!roster.received(Chat, u"ben"_s, false));
        QVERIFY(!roster.received(Chat, u"dee"_s, false));
        QCOMPARE(roster.typists(Chat), QStringList { u"ana"_s });
    }

    void rosterExpiresSixSecondsAfterLastRefresh()
    {
        core::TypingRoster roster(&m_clock);
        roster.received(Chat, u"ana"_s, true);
        m_clock.advance(3'000);
        roster.received(Chat, u"ana"_s, true);
        const qint64 refreshed = m_clock.nowMs();
        roster.received(Other, u"ben"_s, true);
        QCOMPARE(roster.nextDeadlineMs(), refreshed + 6'000);

        m_clock.advance(3'000); // 6 s after the first true, 3 s after the refresh
        QVERIFY(roster.expire().isEmpty());
        QCOMPARE(roster.typists(Chat), QStringList { u"ana"_s });

        m_clock.set(refreshed + 5'999);
        QVERIFY(roster.expire().isEmpty());
        m_clock.set(refreshed + 6'000);
        QCOMPARE(roster.expire(), (QList<quint64> { Chat, Other }));
        QVERIFY(roster.typists(Chat).isEmpty());
        QVERIFY(roster.typists(Other).isEmpty());
        QCOMPARE(roster.nextDeadlineMs(), 0);
        QVERIFY(roster.expire().isEmpty());
    }

    void rosterExpiresOnlyStaleTypists()
    {
        core::TypingRoster roster(&m_clock);
        roster.received(Chat, u"ana"_s, true);
        m_clock.advance(2'000);
        roster.received(Chat, u"ben"_s, true);
        m_clock.advance(4'000);
        QCOMPARE(roster.expire(), QList<quint64> { Chat });
        QCOMPARE(roster.typists(Chat), QStringList { u"ben"_s });
        QCOMPARE(roster.nextDeadlineMs(), m_clock.nowMs() + 2'000);
    }

    void rosterMessageEndsTyping()
    {
        core::TypingRoster roster(&m_clock);
        roster.received(Chat, u"ana"_s, true);
        roster.received(Chat, u"ben"_s, true);
        QVERIFY(roster.messageFrom(Chat, u"ana"_s));
        QVERIFY(!roster.messageFrom(Chat, u"ana"_s));
        QVERIFY(!roster.messageFrom(Other, u"ben"_s));
        QCOMPARE(roster.typists(Chat), QStringList { u"ben"_s });
    }

    void rosterForgetsConversation()
    {
        core::TypingRoster roster(&m_clock);
        roster.received(Chat, u"ana"_s, true);
        roster.received(Other, u"ben"_s, true);
        QVERIFY(roster.forget(Chat));
        QVERIFY(!roster.forget(Chat));
        QVERIFY(roster.typists(Chat).isEmpty());
        QCOMPARE(roster.typists(Other), QStringList { u"ben"_s });
        m_clock.advance(6'000);
        QCOMPARE(roster.expire(), QList<quint64> { Other }); // nothing left of Chat to expire
    }

    void summaryAggregatesTypists()
    {
        using core::TypingRoster;
        QCOMPARE(TypingRoster::summary({}), QString());
        QCOMPARE(TypingRoster::summary({ u"Ana"_s }), u"Ana is typing…"_s);
        QCOMPARE(TypingRoster::summary({ u"Ana"_s, u"Ben"_s }), u"Ana and Ben are typing…"_s);
        QCOMPARE(TypingRoster::summary({ u"Ana"_s, u"Ben"_s, u"Cy"_s }), u"3 people are typing…"_s);
        QCOMPARE(TypingRoster::summary({ u"Ana"_s, u"Ben"_s, u"Cy"_s, u"Dee"_s }), u"4 people are typing…"_s);
    }

    void threeTypistsAggregateThroughRoster()
    {
        core::TypingRoster roster(&m_clock);
        roster.received(Chat, u"Ana"_s, true);
        roster.received(Chat, u"Ben"_s, true);
        QCOMPARE(core::TypingRoster::summary(roster.typists(Chat)), u"Ana and Ben are typing…"_s);
        roster.received(Chat, u"Cy"_s, true);
        QCOMPARE(core::TypingRoster::summary(roster.typists(Chat)), u"3 people are typing…"_s);
        roster.messageFrom(Chat, u"Ana"_s);
        QCOMPARE(core::TypingRoster::summary(roster.typists(Chat)), u"Ben and Cy are typing…"_s);
    }

    // --- PresenceBook ---

    void presenceApplyReportsChanges()
    {
        core::PresenceBook book;
        QVERIFY(!book.state(u"ana"_s).known);
        QVERIFY(book.apply(u"ana"_s, true, 1'000, false));
        QCOMPARE(book.state(u"ana"_s), (core::PresenceState { true, true, 1'000, false }));
        QVERIFY(!book.apply(u"ana"_s, true, 1'000, false));
        QVERIFY(book.apply(u"ana"_s, false, 1'000, false));
        QVERIFY(book.apply(u"ana"_s, false, 2'000, false));
        QCOMPARE(book.state(u"ana"_s), (core::PresenceState { true, false, 2'000, false }));

        QVERIFY(book.apply(u"ana"_s, false, 0, true));
        QCOMPARE(book.state(u"ana"_s), (core::PresenceState { true, false, 0, true }));
        // Values behind a hidden presence are dropped, so they are no change either.
        QVERIFY(!book.apply(u"ana"_s, true, 5'000, true));
        QCOMPARE(book.state(u"ana"_s).lastSeenMs, 0);
        QVERIFY(!book.state(u"ben"_s).known);
    }

    void presenceClearMakesEveryoneUnknown()
    {
        core::PresenceBook book;
        book.apply(u"ben"_s, true, 0, false);
        book.apply(u"ana"_s, false, 1'000, false);
        QCOMPARE(book.clear(), (QStringList { u"ana"_s, u"ben"_s }));
        QVERIFY(!book.state(u"ana"_s).known);
        QVERIFY(!book.state(u"ben"_s).known);
        QVERIFY(book.clear().isEmpty());
        QVERIFY(book.apply(u"ben"_s, true, 0, false)); // the same news is news again after a clear
    }

    void presenceDescribe_data()
    {
        QTest::addColumn<qint64>("now");
        QTest::addColumn<core::PresenceState>("state");
        QTest::addColumn<QString>("expected");

        const qint64 now = localMs(2025, 12, 10, 18, 30);
        QTest::newRow("online") << now << core::PresenceState { true, true, now - 86'400'000, false }
                                << u"online"_s;
        QTest::newRow("30 s") << now << seen(now - 30'000) << u"last seen just now"_s;
        QTest::newRow("59.999 s") << now << seen(now - 59'999) << u"last seen just now"_s;
        QTest::newRow("clock skew") << now << seen(now + 30'000) << u"last seen just now"_s;
        QTest::newRow("1 min") << now << seen(now - 60'000) << u"last seen a minute ago"_s;
        QTest::newRow("5 min") << now << seen(now - 5 * 60'000 - 59'000) << u"last seen 5 minutes ago"_s;
        QTest::newRow("59 min") << now << seen(now - 59 * 60'000) << u"last seen 59 minutes ago"_s;
        QTest::newRow("1 h") << now << seen(now - 60 * 60'000) << u"last seen today at 17:30"_s;
        QTest::newRow("today") << now << seen(localMs(2025, 12, 10, 14, 5)) << u"last seen today at 14:05"_s;
        QTest::newRow("yesterday") << now << seen(localMs(2025, 12, 9, 9, 12))
                                   << u"last seen yesterday at 09:12"_s;
        QTest::newRow("yesterday late, 90 min ago") << localMs(2025, 12, 10, 0,
            30) << seen(localMs(2025, 12, 9, 23, 0)) << u"last seen yesterday at 23:00"_s;
        QTest::newRow("same year") << now << seen(localMs(2025, 12, 3, 9, 0)) << u"last seen 3 Dec"_s;
        QTest::newRow("earlier year")
            << localMs(2026, 1, 10, 10, 0) << seen(localMs(2025, 12, 3, 9, 0)) << u"last seen 3 Dec 2025"_s;
        QTest::newRow("yesterday across new year")
            << localMs(2026, 1, 1, 10, 0) << seen(localMs(2025, 12, 31, 23, 0))
            << u"last seen yesterday at 23:00"_s;
        QTest::newRow("hidden") << now << core::PresenceState { true, true, now, true } << QString();
        QTest::newRow("unknown") << now << core::PresenceState {} << QString();
        QTest::newRow("offline, never seen") << now << seen(0) << QString();
    }
    void presenceDescribe()
    {
        QFETCH(qint64, now);
        QFETCH(core::PresenceState, state);
        QFETCH(QString, expected);
        QCOMPARE(core::PresenceBook::describe(state, now), expected);
    }

    void presenceDescribesWhatWasApplied()
    {
        core::PresenceBook book;
        const qint64 now = localMs(2025, 12, 10, 18, 30);
        book.apply(u"ana"_s, false, now - 5 * 60'000, false);
        QCOMPARE(core::PresenceBook::describe(book.state(u"ana"_s), now), u"last seen 5 minutes ago"_s);
        book.apply(u"ana"_s, false, now - 5 * 60'000, true);
        QCOMPARE(core::PresenceBook::describe(book.state(u"ana"_s), now), QString());
        book.apply(u"ana"_s, true, now, false);
        book.clear();
        QCOMPARE(core::PresenceBook::describe(book.state(u"ana"_s), now), QString());
    }

    // --- MessageProgress ---

    void progressNeverGoesBackwards()
    {
        using core::MessageProgress;
        const QList<Progress> all { Progress::Pending, Progress::Sent, Progress::Delivered, Progress::Read };
        for (Progress current : all) {
            for (Progress next : all) {
                const Progress result = MessageProgress::advance(current, next);
                QCOMPARE(result, int(next) > int(current) ? next : current);
            }
        }
        // A read receipt overtaking the send ack.
        Progress p = Progress::Pending;
        p = MessageProgress::advance(p, Progress::Read);
        p = MessageProgress::advance(p, Progress::Sent);
        p = MessageProgress::advance(p, Progress::Delivered);
        QCOMPARE(p, Progress::Read);
    }

    void groupAggregate_data()
    {
        QTest::addColumn<int>("recipients");
        QTest::addColumn<int>("delivered");
        QTest::addColumn<int>("read");
        QTest::addColumn<Progress>("expected");
        QTest::newRow("none yet") << 3 << 0 << 0 << Progress::Sent;
        QTest::newRow("some delivered") << 3 << 2 << 0 << Progress::Sent;
        QTest::newRow("all delivered") << 3 << 3 << 0 << Progress::Delivered;
        QTest::newRow("all delivered, some read") << 3 << 3 << 2 << Progress::Delivered;
        QTest::newRow("all read") << 3 << 3 << 3 << Progress::Read;
        QTest::newRow("read implies delivered") << 3 << 1 << 3 << Progress::Read;
        QTest::newRow("delivered + read cover all") << 3 << 2 << 3 << Progress::Read;
        QTest::newRow("overlapping counts are not added") << 3 << 2 << 1 << Progress::Sent;
        QTest::newRow("one recipient delivered") << 1 << 1 << 0 << Progress::Delivered;
        QTest::newRow("one recipient read") << 1 << 0 << 1 << Progress::Read;
        QTest::newRow("no recipients") << 0 << 0 << 0 << Progress::Sent;
    }
    void groupAggregate()
    {
        QFETCH(int, recipients);
        QFETCH(int, delivered);
        QFETCH(int, read);
        QFETCH(Progress, expected);
        QCOMPARE(core::MessageProgress::aggregate(recipients, delivered, read), expected);
    }

    void readBySummary()
    {
        QCOMPARE(core::MessageProgress::readBySummary(2, 5), u"Read by 2 of 5"_s);
        QCOMPARE(core::MessageProgress::readBySummary(0, 5), u"Read by 0 of 5"_s);
        QCOMPARE(core::MessageProgress::readBySummary(5, 5), u"Read by 5 of 5"_s);
        QCOMPARE(core::MessageProgress::readBySummary(7, 5), u"Read by 5 of 5"_s); // duplicate receipts
    }
};

QTEST_GUILESS_MAIN(tst_LiveState)
#include "tst_LiveState.moc"

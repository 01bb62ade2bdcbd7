// SPDX-License-Identifier: GPL-3.0-or-later
#include "Backoff.h"

#include <QRandomGenerator>
#include <algorithm>

namespace chattermesh::sync {

Backoff::Backoff(int minMs, int maxMs, std::function<double()> random)
    : m_minMs(std::max(1, minMs)),
      m_maxMs(std::max(m_minMs, maxMs)),
      m_random(random ? std::move(random) : [] { return QRandomGenerator::global()->generateDouble(); })
{ }

int Backoff::nextDelayMs()
{
    const int shift = std::min(m_attempt, 20);
    const qint64 step = std::min<qint64>(qint64(m_maxMs), qint64(m_minMs) << shift);
    ++m_attempt;
    const qint64 half = step / 2;
    return int(half + qint64(m_random() * double(step - half)));
}

} // namespace chattermesh::sync

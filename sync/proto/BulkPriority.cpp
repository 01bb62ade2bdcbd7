// SPDX-License-Identifier: GPL-3.0-or-later
#include "BulkPriority.h"

#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace chattermesh {

void lowerToBulkPriority()
{
#ifdef Q_OS_LINUX
    // Qt maps thread priorities onto SCHED_OTHER, which ignores them; a thread's nice value works.
    constexpr int kNice = 10;
    setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), kNice);
#else
    QThread::currentThread()->setPriority(QThread::LowPriority);
#endif
}

} // namespace chattermesh

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace chattermesh {

// Marks the calling thread as bulk work (attachment bytes) that must give way to messaging when
// the CPU is short: on the client, texts sent during an upload; on the server, every frame while
// an asset streams in. Linux: nice +10 for this thread only (the scheduler still gives it about a
// tenth of a contended core, so an upload never starves); elsewhere QThread::LowPriority.
void lowerToBulkPriority();

} // namespace chattermesh

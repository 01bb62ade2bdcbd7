// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant of a fuzz target. A broken one aborts, which libFuzzer and our own driver both
// report as a crash with the input that caused it; it is never compiled out (no NDEBUG switch).
#define FUZZ_CHECK(condition, what)                                                                          \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            std::fprintf(                                                                                    \
                stderr, "fuzz invariant broken at %s:%d: %s (%s)\n", __FILE__, __LINE__, what, #condition);  \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (false)

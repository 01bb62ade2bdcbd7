// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>
#include <google/protobuf/stubs/logging.h>

namespace chattermesh::fuzz {

// Thousands of inputs a second each log a connection opening, or libprotobuf's line about invalid
// UTF-8 in a string field; that drowns the fuzzer's own output and slows it down. Crashes and broken
// invariants still print (sanitizers and FUZZ_CHECK write to stderr themselves).
inline void quietLogs()
{
    using namespace Qt::StringLiterals;
    QLoggingCategory::setFilterRules(u"chattermesh.*=false"_s);
    google::protobuf::SetLogHandler(nullptr);
}

} // namespace chattermesh::fuzz

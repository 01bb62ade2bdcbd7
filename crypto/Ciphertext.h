// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

namespace chattermesh::crypto {

// A pairwise message as it travels; the type values are libsignal's wire constants. The fixed
// underlying type makes any integer from the wire a valid (if unknown) Type: decrypt rejects it.
struct Ciphertext {
    enum Type : int {
        PreKey = 3, // carries what the receiver needs to build the session
        Whisper = 2,
    };
    Type type = Whisper;
    QByteArray bytes;
};

} // namespace chattermesh::crypto

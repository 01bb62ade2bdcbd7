// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace chattermesh::core {
class Engine;
}

namespace chattermesh::qml {

// What a media bubble shows of one attachment message: its description (from the message's
// end-to-end encrypted Content) and where its transfer stands. Read on the engine's thread.
struct MediaView {
    QString kind; // "image", "video", "voice", "file"
    QString name;
    QString mimeType;
    qint64 size = 0;
    int width = 0;
    int height = 0;
    qint64 durationMs = 0;
    bool hasThumbnail = false;
    QString transfer; // core::transferStateName(), or "" before any transfer (not downloaded)
    bool upload = false;
    qint64 done = 0;
    qint64 total = 0;
    QString error;

    // Engine thread only.
    static MediaView read(core::Engine *engine, qint64 localId);
    bool readable() const { return transfer == QStringLiteral("done"); }
};

} // namespace chattermesh::qml

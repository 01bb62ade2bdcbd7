// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QQuickAsyncImageProvider>

namespace chattermesh::qml {

class EngineThread;

// "image://chattermesh/thumb/<localId>": the small JPEG that travels inside the message;
// "image://chattermesh/full/<localId>": the attachment itself, once downloaded (or sent from here).
// Both are decrypted on the engine's thread and decoded on a pool thread; nothing is written to
// disk in the clear and the GUI thread never waits.
class MediaImageProvider : public QQuickAsyncImageProvider {
public:
    explicit MediaImageProvider(EngineThread *engine) : m_engine(engine) { }
    QQuickImageResponse *requestImageResponse(const QString &id, const QSize &requestedSize) override;

private:
    EngineThread *m_engine;
};

} // namespace chattermesh::qml

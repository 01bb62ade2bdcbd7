// SPDX-License-Identifier: GPL-3.0-or-later
#include "MediaView.h"

#include "AttachmentKind.h"
#include "Engine.h"

namespace chattermesh::qml {

MediaView MediaView::read(core::Engine *engine, qint64 localId)
{
    MediaView v;
    if (const auto m = engine->mediaOf(localId)) {
        v.kind = core::assetKindName(m->kind()); // the bubble uses the same four words
        v.name = QString::fromStdString(m->file_name());
        v.mimeType = QString::fromStdString(m->mime_type());
        v.size = qint64(m->size());
        v.width = int(m->width());
        v.height = int(m->height());
        v.durationMs = qint64(m->duration_ms());
        v.hasThumbnail = !m->thumbnail().empty();
        v.total = qint64(m->blob_size());
    }
    if (const auto t = engine->transferOf(localId)) {
        v.transfer = core::transferStateName(t->state);
        v.upload = t->upload;
        v.error = t->errorText;
        if (t->state == core::TransferState::Done)
            v.done = v.total;
    }
    return v;
}

} // namespace chattermesh::qml

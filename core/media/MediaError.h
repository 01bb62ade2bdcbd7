// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

namespace chattermesh::media {

enum class MediaError {
    FileMissing, // nothing at that path
    Unreadable, // it exists but cannot be opened for reading (permissions, a directory, ...)
    UnsupportedImage, // no image plugin decodes it, or it is corrupt or over the allocation limit
    UnsupportedMedia, // the multimedia backend cannot play or decode it (corrupt, unknown codec)
    NoVideoStream, // it plays, but no video frame ever arrives (an audio-only file)
    Timeout, // the backend did not answer within the bounded wait the caller set
    NeedsGuiApplication, // Qt 6.4 converts video frames only in a QGuiApplication process
    NoAudioInput, // no capture device to record from
    FormatUnavailable, // the backend has no compressed audio format we know how to send
    Busy, // the object is already working on a request
    NeedsEventLoop, // a video or voice note asked of MediaProbe::describeNow(): use describe()
    OutputUnwritable, // the recording target exists already or cannot be written
    RecordingFailed, // the backend reported an error while recording
};

template<typename T> using MediaResult = Result<T, MediaError>;
using MediaFailure = Failure<MediaError>;

} // namespace chattermesh::media

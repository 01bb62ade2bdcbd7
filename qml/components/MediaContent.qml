// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia
import ChatterMesh

// The attachment part of a bubble. Pictures and videos show the thumbnail that came inside the
// message at once, then the picture itself once it is here; other files show name, size and
// duration. A received attachment is fetched on tap (its digest is checked before anything is
// shown); while bytes move there is a progress bar and a cancel button; a failure offers retry.
ColumnLayout {
    id: media
    objectName: "mediaContent"

    property double localId
    property bool outgoing
    property string kind // "image", "video", "voice", "file"
    property string name
    property double size
    property int mediaWidth
    property int mediaHeight
    property double duration
    property string thumbnail
    property string fullImage
    property string transfer
    property double progress
    property int maxSide: 260

    readonly property bool visual: (kind === "image" || kind === "video") && thumbnail.length > 0
    readonly property bool moving: transfer === "preparing" || transfer === "uploading" || transfer === "downloading"
    readonly property bool fetchable: !outgoing && (transfer === "" || transfer === "failed" || transfer === "cancelled")
    // Here in full (downloaded, or sent from this device): a video or voice note can play.
    readonly property bool playable: (kind === "voice" || kind === "video") && transfer === "done"
    readonly property real scale: mediaWidth > 0 && mediaHeight > 0 ? Math.min(1, maxSide / Math.max(mediaWidth, mediaHeight)) : 1

    spacing: 4

    function sizeText(bytes) {
        if (bytes >= 1024 * 1024)
            return qsTr("%1 MB").arg((bytes / 1024 / 1024).toFixed(1))
        if (bytes >= 1024)
            return qsTr("%1 kB").arg(Math.round(bytes / 1024))
        return qsTr("%1 bytes").arg(bytes)
    }
    function durationText(ms) {
        const s = Math.round(ms / 1000)
        return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0")
    }

    Item {
        visible: media.visual
        Layout.preferredWidth: media.mediaWidth > 0 ? media.mediaWidth * media.scale : media.maxSide
        Layout.preferredHeight: media.mediaHeight > 0 ? media.mediaHeight * media.scale : media.maxSide * 0.75

        Image {
            objectName: "thumbnailImage"
            anchors.fill: parent
            source: media.visual ? media.thumbnail : ""
            fillMode: Image.PreserveAspectCrop
            asynchronous: true
            visible: full.status !== Image.Ready
        }
        Image {
            id: full
            objectName: "fullImage"
            anchors.fill: parent
            source: media.fullImage
            sourceSize.width: width * 2
            sourceSize.height: height * 2
            fillMode: Image.PreserveAspectCrop
            asynchronous: true
        }
        VideoOutput {
            id: video
            objectName: "videoOutput"
            anchors.fill: parent
            visible: media.kind === "video" && (playback.state === "playing" || playback.state === "paused")
            fillMode: VideoOutput.PreserveAspectFit
        }
        Label {
            visible: media.kind === "video" && playback.state !== "playing"
            anchors.centerIn: parent
            text: playback.state === "loading" ? "…" : "▶"
            color: "#ffffff"
            font.pixelSize: 36
            style: Text.Outline
            styleColor: "#80000000"
        }
        MouseArea {
            anchors.fill: parent
            enabled: media.fetchable || (media.playable && media.kind === "video")
            onClicked: media.fetchable ? SessionController.chat.download(media.localId) : playback.toggle()
        }
    }

    RowLayout {
        visible: !media.visual
        spacing: 8
        Label {
            // Glyphs every desktop font has (colour emoji fonts are not everywhere).
            text: media.kind === "voice" ? "♪" : media.kind === "video" ? "▶" : "▤"
            color: Theme.accent
            font.pixelSize: 28
        }
        ColumnLayout {
            spacing: 0
            Label {
                text: media.kind === "voice" ? qsTr("Voice note") : media.name
                color: Theme.text
                elide: Text.ElideMiddle
                Layout.maximumWidth: media.maxSide - 40
            }
            Label {
                text: media.duration > 0 ? media.durationText(media.duration) + " · " + media.sizeText(media.size)
                                         : media.sizeText(media.size)
                color: Theme.mutedText
                font.pixelSize: Theme.fontSize - 3
            }
        }
    }

    MediaPlayback {
        id: playback
        objectName: "playback"
        session: SessionController
        localId: media.playable ? media.localId : 0
        fileName: media.name
        // Offscreen (tests, screenshots) Qt 6.4's VideoOutput has no RHI and its CPU path corrupts
        // the heap at exit; there the video plays without a picture.
        videoOutput: media.kind === "video" && Qt.platform.pluginName !== "offscreen" ? video : null
    }

    RowLayout {
        visible: media.playable
        spacing: 6
        Button {
            objectName: "playButton"
            text: playback.state === "playing" ? "❚❚" : "▶"
            flat: true
            Accessible.name: playback.state === "playing" ? qsTr("Pause") : qsTr("Play")
            onClicked: playback.toggle()
        }
        ProgressBar {
            Layout.fillWidth: true
            Layout.preferredWidth: 120
            value: playback.duration > 0 ? playback.position / playback.duration : 0
            Accessible.name: qsTr("Playback position")
        }
        Label {
            text: media.durationText(playback.state === "idle" ? media.duration : playback.position)
            color: Theme.mutedText
            font.pixelSize: Theme.fontSize - 3
        }
    }
    Label {
        objectName: "playbackError"
        visible: playback.state === "failed"
        text: playback.errorText
        color: Theme.danger
        wrapMode: Text.Wrap
        Layout.maximumWidth: media.maxSide
    }

    RowLayout {
        visible: media.moving || media.fetchable || media.transfer === "paused"
        spacing: 6
        ProgressBar {
            objectName: "transferProgress"
            visible: media.moving
            value: media.progress
            Layout.fillWidth: true
            Layout.preferredWidth: 140
            Accessible.name: media.outgoing ? qsTr("Sending attachment") : qsTr("Downloading attachment")
        }
        Button {
            objectName: "downloadButton"
            visible: media.fetchable || media.transfer === "paused"
            text: media.transfer === "failed" || media.transfer === "paused" ? qsTr("Retry")
                                                                              : qsTr("Download %1").arg(media.sizeText(media.size))
            flat: true
            Accessible.name: text
            onClicked: media.transfer === "paused" || (media.transfer === "failed" && !media.outgoing)
                       ? SessionController.chat.retryTransfer(media.localId)
                       : SessionController.chat.download(media.localId)
        }
        ToolButton {
            objectName: "cancelTransferButton"
            visible: media.moving
            text: "✕"
            Accessible.name: qsTr("Cancel")
            onClicked: SessionController.chat.cancelTransfer(media.localId)
        }
    }
}

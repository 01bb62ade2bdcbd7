// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import ChatterMesh

// Initials on a colour picked from the name, so the same person keeps the same colour everywhere;
// a presence dot in the corner when `online`.
Item {
    id: avatar

    property string name
    property bool online: false
    property bool showPresence: false
    property int size: 44

    implicitWidth: size
    implicitHeight: size
    Accessible.ignored: true

    readonly property var palette: ["#e06c75", "#d19a66", "#98c379", "#56b6c2", "#61afef", "#c678dd",
                                    "#be5046", "#2e8b57", "#4169e1", "#8a2be2"]

    function colourFor(text) {
        let h = 0
        for (let i = 0; i < text.length; ++i)
            h = (h * 31 + text.charCodeAt(i)) % 1000003
        return palette[h % palette.length]
    }
    function initialsOf(text) {
        const words = text.replace(/^#/, "").split(/[\s._-]+/).filter(w => w.length > 0)
        if (words.length === 0)
            return "?"
        if (words.length === 1)
            return words[0].substring(0, 2).toUpperCase()
        return (words[0][0] + words[1][0]).toUpperCase()
    }

    Rectangle {
        anchors.fill: parent
        radius: width / 2
        color: avatar.colourFor(avatar.name)
        Label {
            anchors.centerIn: parent
            text: avatar.initialsOf(avatar.name)
            color: "#ffffff"
            font.bold: true
            font.pixelSize: avatar.size * 0.38
        }
    }
    Rectangle {
        objectName: "presenceDot"
        visible: avatar.showPresence
        width: avatar.size * 0.3
        height: width
        radius: width / 2
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        color: avatar.online ? Theme.online : Theme.mutedText
        border.color: Theme.surface
        border.width: 2
    }
}

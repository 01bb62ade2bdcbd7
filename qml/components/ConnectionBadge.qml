// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// A dot and a word: is this device connected, catching up, or offline.
RowLayout {
    id: badge

    spacing: 6
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Connection: %1").arg(SessionController.phaseText)

    Rectangle {
        Layout.preferredWidth: 10
        Layout.preferredHeight: 10
        radius: 5
        color: SessionController.phase === SessionController.Online ? Theme.online
             : SessionController.busy ? Theme.pending : Theme.mutedText
    }
    Label {
        objectName: "connectionState"
        text: SessionController.phaseText
        color: Theme.mutedText
        font.pixelSize: Theme.fontSize - 2
    }
}

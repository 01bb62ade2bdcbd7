// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Signed in: who you are and whether this device is connected. The conversation list arrives
// with the QML client issue.
ThemedPage {
    id: page

    header: ToolBar {
        implicitHeight: Theme.touchTarget + 12
        background: Rectangle { color: Theme.surface }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing
            Label {
                objectName: "accountLabel"
                Layout.fillWidth: true
                text: SessionController.username
                font.bold: true
                font.pixelSize: Theme.fontSize + 2
                color: Theme.text
                elide: Text.ElideRight
            }
            ConnectionBadge {}
        }
    }

    Label {
        anchors.centerIn: parent
        width: parent.width - 4 * Theme.spacing
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: qsTr("Signed in as %1. Your messages are kept encrypted on this device.").arg(SessionController.username)
        color: Theme.mutedText
    }
}

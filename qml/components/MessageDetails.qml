// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Who has one of my messages and who read it, member by member (groups), with the times.
Popup {
    id: details

    property var receipts: []

    modal: true
    focus: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(360, (parent ? parent.width : 360) - 2 * Theme.spacing)
    padding: Theme.spacing
    background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.border }
    // Popups live in the window's overlay, outside the themed page: their controls need the colours too.
    palette.button: Theme.background
    palette.buttonText: Theme.text
    palette.windowText: Theme.text

    function show(list) {
        receipts = list
        open()
    }

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 8
        Label {
            text: qsTr("Message details")
            font.bold: true
            color: Theme.text
        }
        Repeater {
            objectName: "receiptRows"
            model: details.receipts
            delegate: Label {
                required property var modelData
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: Theme.text
                text: modelData.read.length > 0 ? qsTr("%1 — read at %2").arg(modelData.user).arg(modelData.read)
                    : modelData.delivered.length > 0 ? qsTr("%1 — delivered at %2").arg(modelData.user).arg(modelData.delivered)
                    : qsTr("%1 — not delivered yet").arg(modelData.user)
            }
        }
        Label {
            visible: details.receipts.length === 0
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: qsTr("The ticks on the message say how far it got.")
            color: Theme.mutedText
        }
        Button {
            objectName: "closeDetailsButton"
            Layout.alignment: Qt.AlignRight
            text: qsTr("Close")
            Accessible.name: text
            onClicked: details.close()
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Asks for the person to write to. Esc closes it.
ThemedDialog {
    id: dialog

    signal chosen(string username)

    title: qsTr("New chat")
    standardButtons: Dialog.Ok | Dialog.Cancel
    preferredWidth: 360
    onOpened: { field.text = ""; field.forceActiveFocus() }
    onAccepted: if (field.text.trim().length > 0) chosen(field.text.trim())

    ColumnLayout {
        anchors.fill: parent
        Label {
            text: qsTr("Username")
            color: Theme.text
        }
        TextField {
            id: field
            objectName: "newChatField"
            Layout.fillWidth: true
            placeholderText: qsTr("e.g. alice")
            Accessible.name: qsTr("Username to write to")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            onAccepted: dialog.accept()
        }
    }
}

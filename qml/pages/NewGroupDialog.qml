// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// A name and the people to invite. Stays open until the server made the group (then the new
// group opens) or says why not.
ThemedDialog {
    id: dialog
    objectName: "newGroupDialog"

    readonly property ConversationDetails details: SessionController.details

    title: qsTr("New group")
    onOpened: { nameField.text = ""; membersField.text = ""; nameField.forceActiveFocus() }

    function create() {
        details.createGroup(nameField.text, membersField.text.split(/[\s,;]+/))
    }

    Connections {
        target: dialog.details
        function onGroupCreated() { dialog.close() }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Label { text: qsTr("Group name"); color: Theme.text }
        TextField {
            id: nameField
            objectName: "groupNameField"
            Layout.fillWidth: true
            placeholderText: qsTr("e.g. Weekend trip")
            Accessible.name: qsTr("Group name")
            onAccepted: membersField.forceActiveFocus()
        }
        Label { text: qsTr("Members"); color: Theme.text }
        TextField {
            id: membersField
            objectName: "groupMembersField"
            Layout.fillWidth: true
            placeholderText: qsTr("Usernames, separated by commas")
            Accessible.name: qsTr("Usernames of the members, separated by commas")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            onAccepted: dialog.create()
        }
        Label {
            objectName: "newGroupError"
            Layout.fillWidth: true
            visible: text.length > 0
            text: dialog.details.errorText
            color: Theme.danger
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            Button {
            objectName: "createGroupButton"
            text: qsTr("Create")
            enabled: !dialog.details.busy && nameField.text.trim().length > 0 && membersField.text.trim().length > 0
            highlighted: true
            Accessible.name: qsTr("Create the group")
            onClicked: dialog.create()
            }
            Button {
                text: qsTr("Cancel")
                Accessible.name: qsTr("Cancel")
                onClicked: dialog.close()
            }
        }
    }
}

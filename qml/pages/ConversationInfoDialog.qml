// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Contact info (safety number, verify, a changed identity to accept) or group info (members and
// roles; admins rename, add, remove, promote, and restrict sending), plus mute, for the open
// conversation.
ThemedDialog {
    id: dialog
    objectName: "conversationInfo"

    readonly property ConversationDetails details: SessionController.details

    title: details.group ? qsTr("Group info") : qsTr("Contact info")
    preferredWidth: 460
    height: Math.min(parent ? parent.height - 2 * Theme.spacing : 640, 640)
    standardButtons: Dialog.Close
    onOpened: details.reload()

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            width: parent.width
            spacing: Theme.spacing

            RowLayout {
                spacing: Theme.spacing
                Avatar { name: dialog.details.title; showPresence: false }
                Label {
                    objectName: "infoTitle"
                    Layout.fillWidth: true
                    text: dialog.details.title
                    font.bold: true
                    font.pixelSize: Theme.fontSize + 4
                    color: Theme.text
                    elide: Text.ElideRight
                }
            }

            Switch {
                objectName: "muteSwitch"
                text: qsTr("Mute notifications")
                checked: dialog.details.muted
                Accessible.name: qsTr("Mute notifications")
                onToggled: dialog.details.setMuted(checked)
            }

            // Contact: the identity-change notice first, it is what needs doing.
            Rectangle {
                objectName: "identityNotice"
                visible: !dialog.details.group && dialog.details.identityChanged
                Layout.fillWidth: true
                implicitHeight: noticeColumn.implicitHeight + 2 * Theme.spacing
                radius: Theme.radius
                color: Qt.alpha(Theme.danger, 0.12)
                border.color: Theme.danger
                ColumnLayout {
                    id: noticeColumn
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("%1's safety number changed: they reinstalled, got a new phone, or someone is "
                                   + "in between. Messages to them are paused until you accept the new number. "
                                   + "Compare it with them first.").arg(dialog.details.key)
                        color: Theme.text
                        wrapMode: Text.Wrap
                    }
                    Button {
                        objectName: "acceptIdentityButton"
                        text: qsTr("Accept the new safety number")
                        Accessible.name: qsTr("Accept the new safety number")
                        onClicked: dialog.details.acceptNewIdentity()
                    }
                }
            }
            Label {
                visible: !dialog.details.group
                text: qsTr("Safety number")
                font.bold: true
                color: Theme.text
            }
            Label {
                objectName: "safetyNumber"
                visible: !dialog.details.group
                Layout.fillWidth: true
                text: dialog.details.safetyNumber.length > 0 ? dialog.details.safetyNumber
                                                             : qsTr("No session with them yet: send a message first.")
                font.family: "monospace"
                font.pixelSize: Theme.fontSize + 1
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Label {
                visible: !dialog.details.group
                Layout.fillWidth: true
                text: qsTr("Compare these numbers with the ones %1 sees, in person or on a call you trust. "
                           + "If they match, your messages are end-to-end encrypted with them and nobody "
                           + "in between.").arg(dialog.details.key)
                color: Theme.mutedText
                wrapMode: Text.Wrap
            }
            Switch {
                objectName: "verifiedSwitch"
                visible: !dialog.details.group
                enabled: dialog.details.safetyNumber.length > 0
                text: qsTr("Verified")
                checked: dialog.details.verified
                Accessible.name: qsTr("Mark the safety number as verified")
                onToggled: dialog.details.setVerified(checked)
            }

            // Group.
            RowLayout {
                visible: dialog.details.group && dialog.details.amAdmin
                Layout.fillWidth: true
                TextField {
                    id: renameField
                    objectName: "renameField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Group name")
                    text: dialog.details.title
                    Accessible.name: qsTr("Group name")
                    onAccepted: dialog.details.rename(text)
                }
                Button {
                    objectName: "renameButton"
                    text: qsTr("Rename")
                    enabled: !dialog.details.busy && renameField.text.trim().length > 0
                             && renameField.text !== dialog.details.title
                    Accessible.name: qsTr("Rename the group")
                    onClicked: dialog.details.rename(renameField.text)
                }
            }
            Label {
                visible: dialog.details.group
                text: qsTr("%n member(s)", "", dialog.details.members.length)
                font.bold: true
                color: Theme.text
            }
            Repeater {
                model: dialog.details.group ? dialog.details.members : []
                delegate: RowLayout {
                    id: memberRow
                    required property var modelData
                    objectName: "member_" + modelData.name
                    Layout.fillWidth: true
                    spacing: 8
                    Avatar { name: memberRow.modelData.name; size: 32; showPresence: false }
                    Label {
                        Layout.fillWidth: true
                        text: memberRow.modelData.me ? qsTr("%1 (you)").arg(memberRow.modelData.name)
                                                     : memberRow.modelData.name
                        color: Theme.text
                        elide: Text.ElideRight
                    }
                    Label {
                        objectName: "role"
                        text: memberRow.modelData.role === "owner" ? qsTr("Owner")
                              : memberRow.modelData.role === "admin" ? qsTr("Admin") : ""
                        color: Theme.mutedText
                    }
                    Button {
                        objectName: "adminButton"
                        visible: SessionController.details.amAdmin && !memberRow.modelData.me && memberRow.modelData.role !== "owner"
                        enabled: !SessionController.details.busy
                        text: memberRow.modelData.role === "admin" ? qsTr("Dismiss as admin") : qsTr("Make admin")
                        Accessible.name: memberRow.modelData.role === "admin"
                                         ? qsTr("Dismiss %1 as admin").arg(memberRow.modelData.name)
                                         : qsTr("Make %1 an admin").arg(memberRow.modelData.name)
                        onClicked: SessionController.details.setAdmin(memberRow.modelData.name, memberRow.modelData.role !== "admin")
                    }
                    Button {
                        objectName: "removeButton"
                        visible: SessionController.details.amAdmin && !memberRow.modelData.me && memberRow.modelData.role !== "owner"
                        enabled: !SessionController.details.busy
                        text: qsTr("Remove")
                        Accessible.name: qsTr("Remove %1 from the group").arg(memberRow.modelData.name)
                        onClicked: SessionController.details.removeMember(memberRow.modelData.name)
                    }
                }
            }
            RowLayout {
                visible: dialog.details.group && dialog.details.amAdmin
                Layout.fillWidth: true
                TextField {
                    id: addField
                    objectName: "addMemberField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Username to add")
                    Accessible.name: qsTr("Username to add to the group")
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    onAccepted: { dialog.details.addMember(text); text = "" }
                }
                Button {
                    objectName: "addMemberButton"
                    text: qsTr("Add")
                    enabled: !dialog.details.busy && addField.text.trim().length > 0
                    Accessible.name: qsTr("Add the member")
                    onClicked: { dialog.details.addMember(addField.text); addField.text = "" }
                }
            }
            Switch {
                objectName: "onlyAdminsSwitch"
                visible: dialog.details.group
                enabled: dialog.details.amAdmin && !dialog.details.busy
                text: qsTr("Only admins can send messages")
                checked: dialog.details.onlyAdminsSend
                Accessible.name: qsTr("Only admins can send messages")
                onToggled: dialog.details.setOnlyAdminsSend(checked)
            }
            Label {
                objectName: "infoError"
                Layout.fillWidth: true
                visible: text.length > 0
                text: dialog.details.errorText
                color: Theme.danger
                wrapMode: Text.Wrap
            }
            Button {
                objectName: "leaveButton"
                visible: dialog.details.group && dialog.details.isMember
                enabled: !dialog.details.busy
                text: qsTr("Leave group")
                Accessible.name: qsTr("Leave the group")
                palette.buttonText: Theme.danger
                onClicked: dialog.details.leave()
            }
        }
    }
}

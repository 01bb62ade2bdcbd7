// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Appearance, language, notifications, privacy (the server enforces it for every device of mine)
// and this account's devices.
ThemedDialog {
    id: dialog
    objectName: "settingsDialog"

    readonly property AccountSettings settings: SessionController.settings

    title: qsTr("Settings")
    preferredWidth: 480
    height: Math.min(parent ? parent.height - 2 * Theme.spacing : 680, 680)
    standardButtons: Dialog.Close
    onOpened: settings.refreshDevices()

    component Heading: Label {
        Layout.topMargin: 8
        font.bold: true
        font.pixelSize: Theme.fontSize + 1
        color: Theme.text
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            width: parent.width
            spacing: 8

            Heading { text: qsTr("Appearance") }
            RowLayout {
                Label { text: qsTr("Theme"); color: Theme.text; Layout.fillWidth: true }
                ComboBox {
                    objectName: "themeBox"
                    readonly property var modes: ["system", "light", "dark"]
                    model: [qsTr("Follow the system"), qsTr("Light"), qsTr("Dark")]
                    currentIndex: Math.max(0, modes.indexOf(dialog.settings.themeMode))
                    Accessible.name: qsTr("Theme")
                    onActivated: (index) => dialog.settings.themeMode = modes[index]
                }
            }
            RowLayout {
                Label { text: qsTr("Language"); color: Theme.text; Layout.fillWidth: true }
                ComboBox {
                    objectName: "languageBox"
                    readonly property var codes: ["", "en", "de"]
                    model: [qsTr("Follow the system"), "English", "Deutsch"]
                    currentIndex: Math.max(0, codes.indexOf(SessionController.language))
                    Accessible.name: qsTr("Language")
                    onActivated: (index) => SessionController.language = codes[index]
                }
            }

            Heading { text: qsTr("Notifications") }
            Switch {
                objectName: "notificationsSwitch"
                text: qsTr("Notify me of new messages")
                checked: dialog.settings.notifications
                Accessible.name: qsTr("Notify me of new messages")
                onToggled: dialog.settings.notifications = checked
            }
            Switch {
                objectName: "previewSwitch"
                enabled: dialog.settings.notifications
                text: qsTr("Show the message text in notifications")
                checked: dialog.settings.notificationPreview
                Accessible.name: qsTr("Show the message text in notifications")
                onToggled: dialog.settings.notificationPreview = checked
            }

            Heading { text: qsTr("Privacy") }
            RowLayout {
                Label {
                    text: qsTr("Who sees when I am online and last seen")
                    color: Theme.text
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                ComboBox {
                    objectName: "lastSeenBox"
                    model: [qsTr("Everyone"), qsTr("My contacts"), qsTr("Nobody")]
                    currentIndex: dialog.settings.lastSeenVisibility
                    Accessible.name: qsTr("Who sees when I am online and last seen")
                    onActivated: (index) => dialog.settings.lastSeenVisibility = index
                }
            }
            Switch {
                objectName: "readReceiptsSwitch"
                text: qsTr("Send read receipts")
                checked: dialog.settings.readReceipts
                Accessible.name: qsTr("Send read receipts")
                onToggled: dialog.settings.readReceipts = checked
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("Without read receipts you do not see when others read your messages either.")
                color: Theme.mutedText
                wrapMode: Text.Wrap
            }

            Heading { text: qsTr("Devices") }
            Repeater {
                model: dialog.settings.devices
                delegate: RowLayout {
                    id: deviceRow
                    required property var modelData
                    objectName: "device_" + modelData.id
                    Layout.fillWidth: true
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            text: deviceRow.modelData.current ? qsTr("%1 (this device)").arg(deviceRow.modelData.name)
                                                              : deviceRow.modelData.name
                            color: Theme.text
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            visible: deviceRow.modelData.lastSeen.length > 0
                            text: qsTr("Last active %1").arg(deviceRow.modelData.lastSeen)
                            color: Theme.mutedText
                            font.pixelSize: Theme.fontSize - 3
                        }
                    }
                    Button {
                        visible: !deviceRow.modelData.current
                        text: qsTr("Remove")
                        Accessible.name: qsTr("Remove the device %1").arg(deviceRow.modelData.name)
                        onClicked: SessionController.settings.removeDevice(deviceRow.modelData.id)
                    }
                }
            }
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// The list of conversations with the account header and "New chat".
ThemedPage {
    id: pane

    signal newChatRequested()
    signal newGroupRequested()
    signal settingsRequested()

    header: ToolBar {
        implicitHeight: Theme.touchTarget + 12
        background: Rectangle { color: Theme.surface }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: 4
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
            ToolButton {
                objectName: "menuButton"
                text: "⋮"
                font.pixelSize: Theme.fontSize + 4
                implicitWidth: Theme.touchTarget
                implicitHeight: Theme.touchTarget
                Accessible.name: qsTr("Settings")
                onClicked: settingsMenu.open()
                Menu {
                    id: settingsMenu
                    y: parent.height
                    MenuItem { objectName: "newGroupItem"; text: qsTr("New group…"); onTriggered: pane.newGroupRequested() }
                    MenuItem { objectName: "settingsItem"; text: qsTr("Settings…"); onTriggered: pane.settingsRequested() }
                    MenuSeparator {}
                    Menu {
                        title: qsTr("Theme")
                        MenuItem { text: qsTr("Follow the system"); checkable: true; checked: Theme.mode === "system"; onTriggered: SessionController.settings.themeMode = "system" }
                        MenuItem { text: qsTr("Light"); checkable: true; checked: Theme.mode === "light"; onTriggered: SessionController.settings.themeMode = "light" }
                        MenuItem { text: qsTr("Dark"); checkable: true; checked: Theme.mode === "dark"; onTriggered: SessionController.settings.themeMode = "dark" }
                    }
                    Menu {
                        title: qsTr("Language")
                        MenuItem { text: qsTr("Follow the system"); checkable: true; checked: SessionController.language === ""; onTriggered: SessionController.language = "" }
                        MenuItem { text: "English"; checkable: true; checked: SessionController.language === "en"; onTriggered: SessionController.language = "en" }
                        MenuItem { text: "Deutsch"; checkable: true; checked: SessionController.language === "de"; onTriggered: SessionController.language = "de" }
                    }
                }
            }
            ToolButton {
                objectName: "newChatButton"
                text: "✎"
                font.pixelSize: Theme.fontSize + 4
                implicitWidth: Theme.touchTarget
                implicitHeight: Theme.touchTarget
                Accessible.name: qsTr("New chat")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("New chat (Ctrl+N)")
                onClicked: pane.newChatRequested()
            }
        }
    }

    ListView {
        id: list
        objectName: "conversationList"
        anchors.fill: parent
        clip: true
        model: SessionController.conversations
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Conversations")
        delegate: ConversationDelegate {}
        ScrollIndicator.vertical: ScrollIndicator {}
    }

    Label {
        objectName: "emptyListLabel"
        visible: list.count === 0
        anchors.centerIn: parent
        width: parent.width - 4 * Theme.spacing
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: qsTr("No conversations yet. Start one with “New chat”.")
        color: Theme.mutedText
    }
}

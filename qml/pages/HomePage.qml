// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Signed in. Two panes (list and chat) at 720 px and wider; below that one pane at a time, with
// back navigation, as on a phone.
ThemedPage {
    id: page

    readonly property bool wide: width >= 720
    property bool chatShown: false // narrow layout: the chat covers the list
    readonly property ChatModel chat: SessionController.chat

    function step(delta) {
        const model = SessionController.conversations
        if (model.count === 0)
            return
        const i = Math.max(0, Math.min(model.count - 1, model.indexOfKey(chat.key) + delta))
        SessionController.openConversation(model.keyAt(i), model.titleAt(i))
    }

    Connections {
        target: SessionController
        function onConversationOpened() {
            page.chatShown = true
            chatPane.focusComposer()
        }
    }

    Shortcut { sequences: ["Ctrl+N"]; onActivated: newChat.open() }
    Shortcut { sequences: ["Ctrl+Shift+N"]; onActivated: newGroup.open() }
    Shortcut { sequences: ["Ctrl+K"]; onActivated: switcher.open() }
    Shortcut { sequences: ["Ctrl+,"]; onActivated: settingsDialog.open() }
    Shortcut { sequences: ["Alt+Down"]; onActivated: page.step(1) }
    Shortcut { sequences: ["Alt+Up"]; onActivated: page.step(-1) }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ConversationListPane {
            id: listPane
            objectName: "listPane"
            visible: page.wide || !page.chatShown
            Layout.fillHeight: true
            Layout.fillWidth: !page.wide
            Layout.preferredWidth: page.wide ? Math.min(360, page.width * 0.38) : page.width
            onNewChatRequested: newChat.open()
            onNewGroupRequested: newGroup.open()
            onSettingsRequested: settingsDialog.open()
        }
        Rectangle {
            visible: page.wide
            Layout.fillHeight: true
            implicitWidth: 1
            color: Theme.border
        }
        Item {
            visible: page.wide || page.chatShown
            Layout.fillWidth: true
            Layout.fillHeight: true
            ChatPane {
                id: chatPane
                objectName: "chatPane"
                anchors.fill: parent
                visible: page.chat.key.length > 0
                showBack: !page.wide
                active: visible && Window.active
                onBackRequested: page.chatShown = false
                onInfoRequested: info.open()
            }
            Label {
                visible: page.chat.key.length === 0
                anchors.centerIn: parent
                text: qsTr("Choose a conversation, or start a new one.")
                color: Theme.mutedText
            }
        }
    }

    NewChatDialog {
        id: newChat
        parent: Overlay.overlay
        onChosen: (username) => SessionController.openConversation(username, username)
    }
    NewGroupDialog {
        id: newGroup
        parent: Overlay.overlay
    }
    ConversationInfoDialog {
        id: info
        parent: Overlay.overlay
    }
    SettingsDialog {
        id: settingsDialog
        parent: Overlay.overlay
    }
    QuickSwitcher {
        id: switcher
        parent: Overlay.overlay
    }
}

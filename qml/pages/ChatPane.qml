// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// The open conversation: header with presence or typing, the messages (older pages load as the
// top comes into view), jump-to-latest, and the composer.
ThemedPage {
    id: pane

    property bool showBack: false
    property bool active: true // the window has focus and this pane is visible: messages count as read
    readonly property ChatModel chat: SessionController.chat
    signal backRequested()

    function focusComposer() { composer.focusField() }

    header: ToolBar {
        implicitHeight: Theme.touchTarget + 12
        background: Rectangle { color: Theme.surface }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 4
            anchors.rightMargin: Theme.spacing
            spacing: 8
            ToolButton {
                objectName: "backButton"
                visible: pane.showBack
                text: "‹"
                font.pixelSize: Theme.fontSize + 10
                implicitWidth: Theme.touchTarget
                implicitHeight: Theme.touchTarget
                Accessible.name: qsTr("Back to conversations")
                onClicked: pane.backRequested()
            }
            Avatar {
                name: pane.chat.title
                size: 36
                online: pane.chat.peerOnline
                showPresence: !pane.chat.group
                Layout.leftMargin: pane.showBack ? 0 : Theme.spacing - 4
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Label {
                    objectName: "chatTitle"
                    Layout.fillWidth: true
                    text: pane.chat.title
                    font.bold: true
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Label {
                    objectName: "chatStatus"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    text: pane.chat.typingText.length > 0 ? pane.chat.typingText : pane.chat.presenceText
                    color: pane.chat.typingText.length > 0 ? Theme.accent : Theme.mutedText
                    font.pixelSize: Theme.fontSize - 3
                    elide: Text.ElideRight
                }
            }
        }
    }

    ListView {
        id: messages
        objectName: "messageList"
        anchors.fill: parent
        anchors.bottomMargin: composer.height
        clip: true
        model: pane.chat
        spacing: 0
        reuseItems: true
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages")
        delegate: MessageBubble {}
        ScrollIndicator.vertical: ScrollIndicator {}

        property bool stickToEnd: true
        onMovementEnded: stickToEnd = atYEnd
        onCountChanged: if (stickToEnd) positionViewAtEnd()
        onAtYBeginningChanged: if (atYBeginning && count > 0) pane.chat.loadOlder()
        onAtYEndChanged: if (atYEnd && pane.active) pane.chat.markAllRead()
    }

    // A newly opened conversation starts at its latest message; a new row seen at the end is read.
    readonly property string openKey: chat.key
    readonly property int rows: chat.count
    onOpenKeyChanged: messages.stickToEnd = true
    onRowsChanged: if (messages.atYEnd && active) chat.markAllRead()
    onActiveChanged: if (active && messages.atYEnd) pane.chat.markAllRead()

    RoundButton {
        objectName: "jumpToLatest"
        visible: !messages.atYEnd && messages.count > 0
        text: "↓"
        anchors.right: parent.right
        anchors.bottom: composer.top
        anchors.margins: Theme.spacing
        Accessible.name: qsTr("Jump to the latest message")
        onClicked: { messages.stickToEnd = true; messages.positionViewAtEnd() }
    }

    MessageDetails {
        id: details
        objectName: "messageDetails"
    }
    Component.onCompleted: chat.receiptsReady.connect((localId, receipts) => details.show(receipts))

    Composer {
        id: composer
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        onSendRequested: (text) => { messages.stickToEnd = true; pane.chat.send(text) }
        onEdited: (text) => pane.chat.composerChanged(text)
    }
}

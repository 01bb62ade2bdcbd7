// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import ChatterMesh

// The open conversation: header with presence or typing, the messages (older pages load as the
// top comes into view), jump-to-latest, and the composer.
ThemedPage {
    id: pane

    property bool showBack: false
    property bool active: true // the window has focus and this pane is visible: messages count as read
    readonly property ChatModel chat: SessionController.chat
    readonly property ConversationDetails details: SessionController.details
    signal backRequested()
    signal infoRequested()

    function focusComposer() { composer.focusField() }
    // What the file picker does with the file chosen.
    function attachFile(url) { chat.sendFile(url, "") }
    function showSendError(why) {
        sendError.text = why
        sendErrorTimer.restart()
    }

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
                    objectName: "mutedMark"
                    visible: pane.details.key === pane.chat.key && pane.details.muted
                    text: qsTr("Muted")
                    color: Theme.mutedText
                    font.pixelSize: Theme.fontSize - 4
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
            ToolButton {
                objectName: "infoButton"
                text: "i"
                font.pixelSize: Theme.fontSize + 2
                font.bold: true
                font.family: "serif"
                implicitWidth: Theme.touchTarget
                implicitHeight: Theme.touchTarget
                Accessible.name: pane.chat.group ? qsTr("Group info") : qsTr("Contact info")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: pane.infoRequested()
            }
        }
    }

    // The peer's keys changed after I verified them: nothing goes out until I look.
    Rectangle {
        id: identityBanner
        objectName: "identityBanner"
        visible: !pane.chat.group && pane.details.key === pane.chat.key && pane.details.identityChanged
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        height: visible ? bannerRow.implicitHeight + 16 : 0
        z: 1
        color: Qt.alpha(Theme.danger, 0.14)
        RowLayout {
            id: bannerRow
            anchors.fill: parent
            anchors.margins: 8
            Label {
                Layout.fillWidth: true
                text: qsTr("%1's safety number changed. Messages to them are paused.").arg(pane.chat.title)
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Button {
                objectName: "reviewIdentityButton"
                text: qsTr("Review")
                Accessible.name: qsTr("Review the new safety number")
                onClicked: pane.infoRequested()
            }
        }
    }

    ListView {
        id: messages
        objectName: "messageList"
        anchors.fill: parent
        anchors.topMargin: identityBanner.height
        anchors.bottomMargin: composer.height
        clip: true
        model: pane.chat
        spacing: 0
        reuseItems: true
        // No delegates kept beyond the viewport. An older page arrives while the list is at its
        // top, so Qt lays the new rows out in view and needs delegates for viewport and buffer
        // before it lets the old ones go: the default 320 px buffer made the first page build 7
        // new bubbles in one frame (18-22 ms). Without it, the old bubbles in the reuse pool cover
        // the new rows, and a drag only rebinds bubbles from the pool.
        cacheBuffer: 0
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages")
        delegate: MessageBubble {}
        ScrollIndicator.vertical: ScrollIndicator {}

        // New rows scroll into view only while the end is in view. Taken from the position, not
        // from movementEnded: a scroll by keyboard, scroll bar or code ends no movement, and the
        // stale flag then jumped the view to the end for every older page loaded at the top.
        property bool stickToEnd: true
        onContentYChanged: stickToEnd = atYEnd
        onCountChanged: if (stickToEnd) positionViewAtEnd()
        onAtYBeginningChanged: if (atYBeginning && count > 0) pane.chat.loadOlder()
        onAtYEndChanged: if (atYEnd && pane.active) pane.chat.markAllRead()
    }

    // A newly opened conversation starts at its latest message; a new row seen at the end is read.
    readonly property string openKey: chat.key
    readonly property int rows: chat.count
    onOpenKeyChanged: {
        messages.stickToEnd = true
        // The previous conversation's draft was handed to DraftKeeper as it was typed.
        composer.setQuietly("")
        SessionController.drafts.load(openKey)
    }
    Connections {
        target: SessionController.drafts
        function onLoaded(key, text) {
            if (key === pane.chat.key && composer.text.length === 0)
                composer.setQuietly(text)
        }
    }
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

    FileDialog {
        id: picker
        objectName: "attachPicker"
        title: qsTr("Attach")
        nameFilters: [qsTr("Photos and videos (*.jpg *.jpeg *.png *.gif *.webp *.mp4 *.webm *.ogv *.mov)"),
                      qsTr("All files (*)")]
        onAccepted: pane.attachFile(selectedFile)
    }

    // Why a message or an attachment could not be sent (too large, unreadable, ...), for a while.
    Label {
        id: sendError
        objectName: "sendError"
        visible: text.length > 0
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: composer.top
        anchors.margins: Theme.spacing
        padding: 8
        wrapMode: Text.Wrap
        color: Theme.accentText
        background: Rectangle { radius: Theme.radius; color: Theme.danger }
        Timer {
            id: sendErrorTimer
            interval: 6000
            onTriggered: sendError.text = ""
        }
        TapHandler { onTapped: sendError.text = "" }
    }

    MessageDetails {
        id: details
        objectName: "messageDetails"
    }
    Component.onCompleted: {
        chat.receiptsReady.connect((localId, receipts) => details.show(receipts))
        chat.sendFailed.connect(pane.showSendError)
    }

    Composer {
        id: composer
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        onSendRequested: (text) => {
            messages.stickToEnd = true
            pane.chat.send(text)
            SessionController.drafts.clear(pane.chat.key)
        }
        onAttachRequested: picker.open()
        onFailed: (why) => pane.showSendError(why)
        onEdited: (text) => {
            pane.chat.composerChanged(text)
            SessionController.drafts.edit(pane.chat.key, text)
        }
    }
}

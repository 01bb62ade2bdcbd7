// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Multi-line message field and send button. Enter sends, Shift+Enter breaks the line; every edit
// goes to the typing state machine (which decides what to tell the peer and when).
Rectangle {
    id: composer

    property alias text: field.text
    property bool quiet: false // setQuietly(): a draft put back is not typing
    signal sendRequested(string text)
    signal attachRequested()
    signal edited(string text)

    implicitHeight: Math.min(Math.max(field.implicitHeight, Theme.touchTarget), 160) + 2 * 8
    color: Theme.surface
    border.color: Theme.border

    function submit() {
        if (field.text.trim().length === 0)
            return
        composer.sendRequested(field.text)
        field.text = ""
    }
    function focusField() { field.forceActiveFocus() }
    function setQuietly(text) {
        quiet = true
        field.text = text
        field.cursorPosition = field.length
        quiet = false
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 8
        spacing: 8
        ToolButton {
            objectName: "attachButton"
            text: "+"
            font.pixelSize: Theme.fontSize + 8
            Layout.preferredWidth: Theme.touchTarget
            Layout.preferredHeight: Theme.touchTarget
            Accessible.name: qsTr("Attach a photo, video or file")
            ToolTip.visible: hovered
            ToolTip.text: Accessible.name
            onClicked: composer.attachRequested()
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            TextArea {
                id: field
                objectName: "composerField"
                placeholderText: qsTr("Message")
                wrapMode: TextEdit.Wrap
                color: Theme.text
                Accessible.name: qsTr("Message")
                background: Rectangle { radius: Theme.radius; color: Theme.background }
                Keys.onPressed: (event) => {
                    if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                            && !(event.modifiers & Qt.ShiftModifier)) {
                        composer.submit()
                        event.accepted = true
                    }
                }
                onTextChanged: if (!composer.quiet) composer.edited(text)
                // Tab moves on, as everywhere else, instead of typing a tab into the message.
                Keys.onTabPressed: (event) => {
                    field.nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
                    event.accepted = true
                }
                Keys.onBacktabPressed: (event) => {
                    field.nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
                    event.accepted = true
                }
            }
        }
        Button {
            objectName: "sendButton"
            text: qsTr("Send")
            highlighted: true
            enabled: field.text.trim().length > 0
            Layout.preferredHeight: Theme.touchTarget
            Accessible.name: qsTr("Send message")
            onClicked: composer.submit()
        }
    }
}

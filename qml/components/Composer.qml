// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Multi-line message field and send button. Enter sends, Shift+Enter breaks the line; every edit
// goes to the typing state machine (which decides what to tell the peer and when). The microphone
// button records a voice note; while it records, the row offers only cancel and send (Esc, Enter).
Rectangle {
    id: composer

    property alias text: field.text
    property bool quiet: false // setQuietly(): a draft put back is not typing
    signal sendRequested(string text)
    signal attachRequested()
    signal edited(string text)
    signal failed(string why)
    readonly property bool recordingVoice: voice.state !== "idle"

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
    function recordVoiceNote() {
        voice.start()
        voiceSend.forceActiveFocus()
    }
    function formatDuration(ms) {
        const seconds = Math.floor(ms / 1000)
        const rest = seconds % 60
        return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest
    }

    VoiceRecorder {
        id: voice
        objectName: "voiceRecorder"
        session: SessionController
        onErrorTextChanged: if (errorText.length > 0) composer.failed(errorText)
        // Back to writing once the note is sent or dropped.
        onStateChanged: if (state === "idle") field.forceActiveFocus()
    }
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
        visible: !composer.recordingVoice
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
        ToolButton {
            objectName: "voiceButton"
            Layout.preferredWidth: Theme.touchTarget
            Layout.preferredHeight: Theme.touchTarget
            Accessible.name: qsTr("Record a voice note")
            ToolTip.visible: hovered
            ToolTip.text: Accessible.name
            contentItem: Item {
                MicGlyph {
                    anchors.centerIn: parent
                    color: Theme.text
                }
            }
            onClicked: composer.recordVoiceNote()
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

    RowLayout {
        id: voiceRow
        objectName: "voiceRow"
        anchors.fill: parent
        anchors.margins: 8
        spacing: 8
        visible: composer.recordingVoice
        Keys.onEscapePressed: voice.cancel()
        Keys.onReturnPressed: voice.send()
        Keys.onEnterPressed: voice.send()
        ToolButton {
            objectName: "voiceCancelButton"
            text: "✕"
            font.pixelSize: Theme.fontSize + 4
            Layout.preferredWidth: Theme.touchTarget
            Layout.preferredHeight: Theme.touchTarget
            Accessible.name: qsTr("Cancel the voice note")
            ToolTip.visible: hovered
            ToolTip.text: Accessible.name
            onClicked: voice.cancel()
        }
        Rectangle {
            implicitWidth: 12
            implicitHeight: 12
            radius: 6
            color: Theme.danger
            opacity: voice.state === "recording" ? 1 : 0.4
        }
        Label {
            objectName: "voiceStatus"
            Layout.fillWidth: true
            color: Theme.text
            elide: Text.ElideRight
            text: voice.state === "starting" ? qsTr("Starting the microphone…")
                : voice.state === "sending" ? qsTr("Finishing the voice note…")
                : qsTr("Recording %1").arg(composer.formatDuration(voice.durationMs))
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        Button {
            id: voiceSend
            objectName: "voiceSendButton"
            text: qsTr("Send")
            highlighted: true
            enabled: voice.state === "recording"
            Layout.preferredHeight: Theme.touchTarget
            Accessible.name: qsTr("Send the voice note")
            onClicked: voice.send()
        }
    }
}

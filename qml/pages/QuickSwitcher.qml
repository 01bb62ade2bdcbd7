// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// Ctrl+K: type part of a name, Up/Down to pick, Enter opens, Esc closes.
ThemedDialog {
    id: dialog
    objectName: "quickSwitcher"

    property var matches: []

    title: qsTr("Find a conversation")
    preferredWidth: 400
    onOpened: { field.text = ""; filter(); field.forceActiveFocus() }

    function filter() {
        const model = SessionController.conversations
        const needle = field.text.trim().toLowerCase()
        const found = []
        for (let i = 0; i < model.count; ++i) {
            const title = model.titleAt(i)
            if (needle.length === 0 || title.toLowerCase().indexOf(needle) >= 0)
                found.push({ key: model.keyAt(i), title: title })
        }
        matches = found
        results.currentIndex = found.length > 0 ? 0 : -1
    }
    function openAt(i) {
        if (i >= 0 && i < matches.length)
            SessionController.openConversation(matches[i].key, matches[i].title)
    }
    Connections {
        target: SessionController
        function onConversationOpened() { dialog.close() }
    }

    ColumnLayout {
        anchors.fill: parent
        TextField {
            id: field
            objectName: "switcherField"
            Layout.fillWidth: true
            placeholderText: qsTr("Name")
            Accessible.name: qsTr("Name of the conversation to open")
            onTextChanged: dialog.filter()
            onAccepted: dialog.openAt(results.currentIndex)
            Keys.onDownPressed: results.incrementCurrentIndex()
            Keys.onUpPressed: results.decrementCurrentIndex()
        }
        ListView {
            id: results
            objectName: "switcherResults"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 320)
            clip: true
            model: dialog.matches
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Matching conversations")
            delegate: ItemDelegate {
                required property var modelData
                required property int index
                width: ListView.view.width
                text: modelData.title
                highlighted: ListView.isCurrentItem
                Accessible.name: modelData.title
                onClicked: SessionController.openConversation(modelData.key, modelData.title)
            }
        }
        Label {
            visible: dialog.matches.length === 0
            text: qsTr("No conversation matches.")
            color: Theme.mutedText
        }
    }
}

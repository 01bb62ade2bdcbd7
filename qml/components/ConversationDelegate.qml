// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// One row of the conversation list: avatar with presence, title, time, the last message or
// "typing…", and the unread badge.
ItemDelegate {
    id: row

    required property int index
    required property string key
    required property string title
    required property string preview
    required property double time
    required property int unread
    required property bool group
    required property bool online
    required property string typing
    required property bool current
    required property string draft
    required property bool muted

    width: ListView.view ? ListView.view.width : implicitWidth
    height: 72
    highlighted: current
    Accessible.role: Accessible.ListItem
    Accessible.name: unread > 0 ? qsTr("%1, %n unread", "", unread).arg(title) : title
    Accessible.description: typing.length > 0 ? typing : draft.length > 0 ? qsTr("Draft: %1").arg(draft) : preview
    onClicked: SessionController.openConversation(key, title)

    background: Rectangle {
        color: row.current ? Qt.alpha(Theme.accent, 0.14) : row.hovered ? Qt.alpha(Theme.text, 0.05) : "transparent"
    }

    contentItem: RowLayout {
        spacing: Theme.spacing
        Avatar {
            name: row.title
            online: row.online
            showPresence: !row.group
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    text: row.title
                    font.bold: true
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Label {
                    objectName: "mutedMark"
                    visible: row.muted
                    text: "🔕"
                    font.pixelSize: Theme.fontSize - 3
                    Accessible.name: qsTr("Muted")
                }
                Label {
                    text: row.time > 0 ? SessionController.chat.whenText(row.time) : ""
                    color: row.unread > 0 ? Theme.accent : Theme.mutedText
                    font.pixelSize: Theme.fontSize - 3
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label {
                    objectName: "previewLabel"
                    Layout.fillWidth: true
                    // A draft shows in place of the last message (not while typing is shown): what
                    // I left unfinished is what I look for.
                    text: row.typing.length > 0 ? row.typing
                          : row.draft.length > 0 && !row.current ? qsTr("Draft: %1").arg(row.draft) : row.preview
                    font.italic: row.typing.length > 0
                    color: row.typing.length > 0 ? Theme.accent
                           : row.draft.length > 0 && !row.current ? Theme.danger : Theme.mutedText
                    elide: Text.ElideRight
                    maximumLineCount: 1
                }
                Label {
                    objectName: "unreadBadge"
                    visible: row.unread > 0
                    text: row.unread > 99 ? "99+" : row.unread
                    color: Theme.accentText
                    font.pixelSize: Theme.fontSize - 3
                    font.bold: true
                    horizontalAlignment: Text.AlignHCenter
                    leftPadding: 7
                    rightPadding: 7
                    topPadding: 2
                    bottomPadding: 2
                    Layout.minimumWidth: 22
                    background: Rectangle { radius: 11; color: Theme.accent }
                }
            }
        }
    }
}

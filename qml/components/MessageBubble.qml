// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// One message: a day separator above the first of its day, the sender's name above the first of a
// run in groups, the bubble (mine on the right), its time and, for mine, the ticks:
// pending 🕓, sent ✓, delivered ✓✓, read ✓✓ in the accent colour, failed ⚠.
Item {
    id: bubble

    required property int index
    required property string body
    required property bool outgoing
    required property string sender
    required property string delivery
    required property double time
    required property string kind
    required property bool firstOfDay
    required property bool firstOfRun
    required property string error
    required property bool groupChat
    required property string dayText
    required property double localId
    required property string mediaKind
    required property string mediaName
    required property double mediaSize
    required property int mediaWidth
    required property int mediaHeight
    required property double duration
    required property string thumbnail
    required property string fullImage
    required property string transfer
    required property double progress

    width: ListView.view ? ListView.view.width : 400
    height: column.implicitHeight + (firstOfRun ? 8 : 2)

    readonly property string ticks: delivery === "pending" ? "🕓" : delivery === "sent" ? "✓"
                                  : delivery === "delivered" || delivery === "read" ? "✓✓"
                                  : delivery === "failed" ? "⚠" : ""
    readonly property string stateText: delivery === "pending" ? qsTr("Sending")
                                      : delivery === "sent" ? qsTr("Sent")
                                      : delivery === "delivered" ? qsTr("Delivered")
                                      : delivery === "read" ? qsTr("Read")
                                      : delivery === "failed" ? qsTr("Not sent: %1").arg(error) : ""

    Accessible.role: Accessible.StaticText
    Accessible.name: (outgoing ? qsTr("You") : sender) + ": " + body
    Accessible.description: stateText

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: 4

        Label {
            visible: bubble.firstOfDay
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 8
            text: bubble.dayText
            color: Theme.mutedText
            font.pixelSize: Theme.fontSize - 3
            padding: 4
            background: Rectangle { color: Theme.surface; radius: 8 }
        }
        Label {
            visible: bubble.kind === "notice" || bubble.kind === "undecryptable"
            Layout.alignment: Qt.AlignHCenter
            Layout.maximumWidth: bubble.width * 0.8
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            text: bubble.kind === "undecryptable" ? qsTr("This message could not be decrypted yet; the sender was asked to send it again.")
                                                  : bubble.body
            color: Theme.mutedText
            font.italic: true
            font.pixelSize: Theme.fontSize - 2
        }
        Label {
            visible: bubble.groupChat && bubble.firstOfRun && !bubble.outgoing && bubble.kind !== "notice"
            text: bubble.sender
            color: Theme.accent
            font.bold: true
            font.pixelSize: Theme.fontSize - 2
            leftPadding: 4
        }
        Rectangle {
            objectName: "bubbleBackground"
            visible: bubble.kind === "text" || bubble.kind === "media"
            Layout.alignment: bubble.outgoing ? Qt.AlignRight : Qt.AlignLeft
            Layout.maximumWidth: Math.min(bubble.width * 0.75, 560)
            implicitWidth: content.implicitWidth + 20
            implicitHeight: content.implicitHeight + 12
            radius: Theme.radius
            color: bubble.outgoing ? (Theme.dark ? "#1d4f86" : "#d9eaff") : Theme.surface
            border.color: bubble.outgoing ? "transparent" : Theme.border

            // My messages: a tap shows who has it and who read it.
            TapHandler {
                enabled: bubble.outgoing
                onTapped: SessionController.chat.requestReceipts(bubble.localId)
            }

            ColumnLayout {
                id: content
                anchors.centerIn: parent
                width: Math.min(implicitWidth, parent.Layout.maximumWidth - 20)
                spacing: 2
                // Built only for attachments: most rows are text, and a lighter delegate keeps
                // scrolling through a long history cheap.
                Loader {
                    active: bubble.kind === "media"
                    visible: active
                    // The linter does not follow ids into an inline Component; these are the bubble's.
                    // qmllint disable unqualified
                    sourceComponent: Component {
                        MediaContent {
                            objectName: "mediaContent"
                            localId: bubble.localId
                            outgoing: bubble.outgoing
                            kind: bubble.mediaKind
                            name: bubble.mediaName
                            size: bubble.mediaSize
                            mediaWidth: bubble.mediaWidth
                            mediaHeight: bubble.mediaHeight
                            duration: bubble.duration
                            thumbnail: bubble.thumbnail
                            fullImage: bubble.fullImage
                            transfer: bubble.transfer
                            progress: bubble.progress
                        }
                    }
                    // qmllint enable unqualified
                }
                Label {
                    // A caption, or the text of a text message; a media message without a caption
                    // has its file name as body, which the attachment already shows.
                    visible: bubble.kind !== "media" || bubble.body !== bubble.mediaName
                    Layout.fillWidth: true
                    Layout.maximumWidth: Math.min(bubble.width * 0.75, 560) - 20
                    text: bubble.body
                    wrapMode: Text.Wrap
                    color: Theme.text
                    textFormat: Text.PlainText
                }
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    spacing: 4
                    Label {
                        text: SessionController.chat.timeText(bubble.time)
                        color: Theme.mutedText
                        font.pixelSize: Theme.fontSize - 4
                    }
                    Label {
                        objectName: "ticks"
                        visible: bubble.outgoing
                        text: bubble.ticks
                        color: bubble.delivery === "read" ? Theme.accent
                             : bubble.delivery === "failed" ? Theme.danger : Theme.mutedText
                        font.pixelSize: Theme.fontSize - 3
                        font.bold: bubble.delivery === "read"
                        Accessible.name: bubble.stateText
                    }
                }
            }
        }
    }
}

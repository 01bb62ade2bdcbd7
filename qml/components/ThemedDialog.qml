// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import ChatterMesh

// A modal dialog in the app's colours, centred, as wide as the screen allows up to preferredWidth.
// Esc closes it (Popup's default close policy). Title, content and buttons each take Theme's
// colours from a ThemedPane, because Qt 6.4 does not hand a Popup's palette down to them.
Dialog {
    id: dialog

    property int preferredWidth: 420
    default property alias content: body.contentData

    modal: true
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 2 * Theme.spacing : preferredWidth, preferredWidth)
    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radius
    }
    header: Label {
        text: dialog.title
        visible: text.length > 0
        color: Theme.text
        font.bold: true
        font.pixelSize: Theme.fontSize + 2
        elide: Label.ElideRight
        padding: Theme.spacing
        bottomPadding: 0
    }
    // The ids are needed (content goes into body, the footer shows only with buttons); making these
    // two assignments immediate costs nothing.
    // qmllint disable deferred-property-id
    contentItem: ThemedPane { id: body }
    footer: ThemedPane {
        // Where Dialog puts the standard buttons; a dialog with its own buttons puts them here too.
        contentItem: DialogButtonBox {
            id: buttons
            standardButtons: dialog.standardButtons
            background: null
            onAccepted: dialog.accept()
            onRejected: dialog.reject()
        }
        visible: buttons.count > 0
    }
    // qmllint enable deferred-property-id
}

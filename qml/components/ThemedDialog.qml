// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import ChatterMesh

// A modal dialog in the app's colours, centred, as wide as the screen allows up to preferredWidth.
// Esc closes it (Popup's default close policy).
Dialog {
    property int preferredWidth: 420

    modal: true
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - 2 * Theme.spacing : preferredWidth, preferredWidth)
    palette.window: Theme.surface
    palette.windowText: Theme.text
    palette.base: Theme.background
    palette.text: Theme.text
    palette.button: Theme.background
    palette.buttonText: Theme.text
    palette.dark: Theme.accent
    palette.brightText: Theme.accentText
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.mid: Theme.border
    palette.light: Theme.surface
    palette.midlight: Theme.border
}

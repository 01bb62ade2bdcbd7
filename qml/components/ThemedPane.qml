// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import ChatterMesh

// A transparent Pane whose palette follows Theme, for content that is not inside a ThemedPage:
// the insides of dialogs. (Qt 6.4 does not pass a Popup's own palette on to the controls in it,
// so a dark theme left their text dark; an Item subtree inherits it properly.)
Pane {
    padding: 0
    background: null
    palette.window: Theme.surface
    palette.windowText: Theme.text
    palette.base: Theme.background
    palette.alternateBase: Theme.surface
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
    palette.toolTipBase: Theme.surface
    palette.toolTipText: Theme.text
}

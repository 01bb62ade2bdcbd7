// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import ChatterMesh

// A Page whose controls take their colours from Theme: the palette is inherited by every child.
Page {
    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.alternateBase: Theme.background
    palette.text: Theme.text
    palette.button: Theme.surface
    palette.buttonText: Theme.text
    palette.dark: Theme.accent          // highlighted buttons
    palette.brightText: Theme.accentText
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.mid: Theme.border
    palette.light: Theme.surface
    palette.midlight: Theme.border
    palette.toolTipBase: Theme.surface
    palette.toolTipText: Theme.text

    background: Rectangle { color: Theme.background }
}

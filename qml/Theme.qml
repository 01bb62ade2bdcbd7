// SPDX-License-Identifier: GPL-3.0-or-later
pragma Singleton
import QtQuick
import ChatterMesh

// Colours and sizes in one place. Dark or light follows the system palette (Qt 6.4 has no
// styleHints.colorScheme); `mode` lets settings force one.
QtObject {
    id: theme

    // "light", "dark" or "system"; kept across restarts in the settings (AccountSettings).
    property string mode: SessionController.settings.themeMode
    readonly property SystemPalette system: SystemPalette { colorGroup: SystemPalette.Active }
    readonly property bool dark: mode === "dark"
                                 || (mode === "system" && system.window.hslLightness < 0.5)

    readonly property color background: dark ? "#15181d" : "#f5f6f8"
    readonly property color surface: dark ? "#1f242b" : "#ffffff"
    readonly property color text: dark ? "#e8eaed" : "#1b1f24"
    readonly property color mutedText: dark ? "#9aa3ad" : "#5f6873"
    readonly property color accent: dark ? "#5aa9ff" : "#1769d1"
    readonly property color accentText: "#ffffff"
    readonly property color danger: dark ? "#ff7b72" : "#c62828"
    readonly property color online: "#2ea44f"
    readonly property color pending: "#d29922"
    readonly property color border: dark ? "#303741" : "#d8dde3"

    readonly property int spacing: 12
    readonly property int radius: 10
    readonly property int touchTarget: 44
    readonly property int fontSize: 15
    readonly property int titleSize: 24
}

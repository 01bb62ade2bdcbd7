// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick

// A microphone drawn from rectangles: no icon font or SVG plugin is needed on any platform.
Item {
    id: glyph

    property color color: "black"

    implicitWidth: 18
    implicitHeight: 22

    Rectangle { // the capsule
        x: (glyph.width - width) / 2
        y: 0
        width: 8
        height: 13
        radius: 4
        color: glyph.color
    }
    Item { // the lower half of a ring around the capsule
        x: (glyph.width - 14) / 2
        y: 7
        width: 14
        height: 9
        clip: true
        Rectangle {
            y: -7
            width: 14
            height: 16
            radius: 7
            color: "transparent"
            border.width: 2
            border.color: glyph.color
        }
    }
    Rectangle { // the stand
        x: (glyph.width - width) / 2
        y: 16
        width: 2
        height: 4
        color: glyph.color
    }
    Rectangle { // the foot
        x: (glyph.width - width) / 2
        y: 20
        width: 10
        height: 2
        color: glyph.color
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import ChatterMesh

ApplicationWindow {
    id: window

    width: 960
    height: 640
    minimumWidth: 320
    minimumHeight: 480
    visible: true
    // The unread total leads the title, so the taskbar shows it too.
    readonly property int unread: SessionController.conversations.unreadTotal
    title: (unread > 0 ? "(" + unread + ") " : "")
           + (SessionController.username.length > 0 ? qsTr("ChatterMesh — %1").arg(SessionController.username)
                                                     : qsTr("ChatterMesh"))
    color: Theme.background

    // Notifications are due while the window is not in front.
    Binding {
        target: SessionController.notifier
        property: "windowActive"
        value: window.active
    }

    Loader {
        id: pageLoader
        objectName: "pageLoader"
        anchors.fill: parent
        sourceComponent: SessionController.username.length > 0 ? homePage : signInPage
    }

    Component {
        id: signInPage
        SignInPage {}
    }
    Component {
        id: homePage
        HomePage {}
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ChatterMesh

// First run: where the server is, who you are, and (without a keychain) the passphrase that
// locks this device's store.
ThemedPage {
    id: page

    property bool createAccount: true
    readonly property bool locked: SessionController.phase === SessionController.Locked

    function submit() {
        if (page.locked && SessionController.needsPassphrase) {
            SessionController.unlock(passphraseField.text)
            page.pendingSignIn = true
            return
        }
        SessionController.signIn(userField.text, passwordField.text, page.createAccount)
    }
    property bool pendingSignIn: false

    Connections {
        target: SessionController
        function onPhaseChanged() {
            if (page.pendingSignIn && SessionController.phase === SessionController.SignedOut) {
                page.pendingSignIn = false
                SessionController.signIn(userField.text, passwordField.text, page.createAccount)
            }
        }
        function onErrorTextChanged() {
            if (SessionController.errorText.length > 0)
                page.pendingSignIn = false
        }
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.spacing, 420)
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            text: qsTr("ChatterMesh")
            font.pixelSize: Theme.titleSize
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("End-to-end encrypted chat")
            color: Theme.mutedText
            horizontalAlignment: Text.AlignHCenter
        }

        TabBar {
            id: modeTabs
            Layout.fillWidth: true
            currentIndex: page.createAccount ? 0 : 1
            // Basic style paints unselected tabs with palette.dark: keep them quiet, not accent.
            palette.dark: Theme.background
            palette.window: Theme.surface
            onCurrentIndexChanged: page.createAccount = currentIndex === 0
            TabButton {
                objectName: "createAccountTab"
                text: qsTr("Create account")
                Accessible.name: text
            }
            TabButton {
                objectName: "signInTab"
                text: qsTr("Sign in")
                Accessible.name: text
            }
        }

        TextField {
            id: serverField
            objectName: "serverField"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            placeholderText: qsTr("Server address (ws://host:port)")
            placeholderTextColor: Theme.mutedText
            text: SessionController.serverUrl
            enabled: page.locked
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
            Accessible.name: qsTr("Server address")
            onEditingFinished: SessionController.serverUrl = text
        }
        TextField {
            id: userField
            objectName: "usernameField"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            placeholderText: qsTr("Username")
            placeholderTextColor: Theme.mutedText
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
            Accessible.name: qsTr("Username")
            focus: true
        }
        TextField {
            id: passwordField
            objectName: "passwordField"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            placeholderText: qsTr("Password (at least 8 characters)")
            echoMode: TextInput.Password
            placeholderTextColor: Theme.mutedText
            Accessible.name: qsTr("Password")
            onAccepted: page.submit()
        }
        TextField {
            id: passphraseField
            objectName: "passphraseField"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            visible: SessionController.needsPassphrase && page.locked
            placeholderText: qsTr("Passphrase for this device's encrypted store")
            echoMode: TextInput.Password
            placeholderTextColor: Theme.mutedText
            Accessible.name: qsTr("Store passphrase")
            onAccepted: page.submit()
        }

        Label {
            objectName: "errorLabel"
            Layout.fillWidth: true
            visible: text.length > 0
            text: SessionController.errorText
            color: Theme.danger
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }

        Button {
            objectName: "submitButton"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget
            text: page.createAccount ? qsTr("Create account") : qsTr("Sign in")
            highlighted: true
            enabled: !SessionController.busy
            Accessible.name: text
            onClicked: page.submit()
        }

        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            BusyIndicator {
                running: SessionController.busy
                visible: running
                Layout.preferredWidth: 24
                Layout.preferredHeight: 24
            }
            ConnectionBadge {}
        }
    }
}

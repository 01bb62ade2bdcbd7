// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ChatterMesh

// The first screen against the real server: refuse empty input, unlock the store with a
// passphrase, create an account, and show the connection reaching Online.
TestCase {
    id: testCase
    name: "SignIn"
    when: windowShown
    width: 480
    height: 720
    visible: true

    Component {
        id: pageComponent
        SignInPage {
            width: testCase.width
            height: testCase.height
        }
    }

    function test_createAccountGoesOnline() {
        const page = createTemporaryObject(pageComponent, testCase)
        verify(page)
        compare(SessionController.phase, SessionController.Locked)
        verify(SessionController.needsPassphrase)

        const submit = findChild(page, "submitButton")
        const errorLabel = findChild(page, "errorLabel")
        const passphrase = findChild(page, "passphraseField")
        verify(passphrase.visible)
        compare(submit.text, "Create account")

        // Nothing typed: a clear message, still locked.
        mouseClick(submit)
        compare(SessionController.phase, SessionController.Locked)
        verify(errorLabel.visible)
        verify(errorLabel.text.length > 0)

        findChild(page, "usernameField").text = "uitester"
        findChild(page, "passwordField").text = "correct horse battery"
        passphrase.text = "store passphrase"
        mouseClick(submit)

        tryCompare(SessionController, "phase", SessionController.Online, 30000)
        compare(SessionController.username, "uitester")
        compare(SessionController.errorText, "")
        compare(findChild(page, "connectionState").text, "Online")
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ChatterMesh
import ChatterMesh.Test

// The first screen against the real server: refuse empty input, unlock the store with a
// passphrase, create an account, and show the connection reaching Online. Each state is also
// rendered to PNG, light and dark, wide and narrow (CHATTERMESH_SCREENSHOT_DIR).
TestCase {
    id: testCase
    name: "SignIn"
    when: windowShown
    width: 1024
    height: 720
    visible: true

    Component {
        id: signInComponent
        SignInPage {}
    }
    Component {
        id: homeComponent
        HomePage {}
    }

    function shoot(component, name) {
        const sizes = [{ tag: "wide", w: 1024, h: 720 }, { tag: "narrow", w: 390, h: 760 }]
        for (const mode of ["light", "dark"]) {
            SessionController.settings.themeMode = mode
            for (const s of sizes) {
                const page = createTemporaryObject(component, testCase, { width: s.w, height: s.h })
                waitForRendering(page)
                const image = grabImage(page)
                compare(image.width, s.w)
                image.save(TestEnv.screenshotDir + "/" + name + "-" + mode + "-" + s.tag + ".png") // throws on failure
                page.destroy()
            }
        }
        SessionController.settings.themeMode = "system"
    }

    function test_createAccountGoesOnline() {
        compare(SessionController.phase, SessionController.Locked)
        verify(SessionController.needsPassphrase)
        shoot(signInComponent, "signin")

        const page = createTemporaryObject(signInComponent, testCase, { width: 480, height: 720 })
        verify(page)
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
        shoot(homeComponent, "home")
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import ChatterMesh
import ChatterMesh.Test

// Every interactive control of the main screens has an accessible name a screen reader can say
// (not empty, not a lone symbol such as "⋮"); the keyboard reaches what the mouse does: Ctrl+N
// opens "New chat", Esc closes it, Alt+Up/Down switch conversations, Tab moves between controls.
// Runs after tst_2_Chat (signed in, one conversation with the peer).
TestCase {
    id: testCase
    name: "Accessibility"
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

    // Buttons of every kind, text fields and areas, list rows: anything that takes a click or keys.
    function interactive(item) {
        const button = item.hasOwnProperty("checkable") && item.hasOwnProperty("pressed")
                       && item.hasOwnProperty("autoRepeat")
        const editor = item.hasOwnProperty("placeholderText") && item.hasOwnProperty("cursorPosition")
        return button || editor
    }
    function walk(item, found) {
        if (!item || !item.visible)
            return found
        if (interactive(item))
            found.push(item)
        for (let i = 0; i < item.children.length; ++i)
            walk(item.children[i], found)
        if (item.contentItem && item.contentItem !== item && item.contentItem.parent !== item)
            walk(item.contentItem, found)
        return found
    }
    function describe(item) {
        return (item.objectName.length > 0 ? item.objectName : String(item)) + " named '" + item.Accessible.name + "'"
    }
    function checkNames(root) {
        const controls = walk(root, [])
        verify(controls.length >= 3, "found only " + controls.length + " controls")
        for (const c of controls) {
            const name = c.Accessible.name
            verify(name && name.trim().length > 0, "no accessible name: " + describe(c))
            verify(/[A-Za-zÀ-ÿ]/.test(name), "the name is only symbols: " + describe(c))
        }
        return controls
    }

    function test_signInScreenControlsAreNamed() {
        const page = createTemporaryObject(signInComponent, testCase, { width: 480, height: 720 })
        waitForRendering(page)
        checkNames(page)
    }

    function test_mainScreenControlsAreNamed() {
        tryCompare(SessionController, "phase", SessionController.Online, 30000)
        const page = createTemporaryObject(homeComponent, testCase, { width: 1024, height: 720 })
        const list = findChild(page, "conversationList")
        tryVerify(() => list.count >= 1, 30000)
        SessionController.openConversation(TestEnv.peerName, TestEnv.peerName)
        const messages = findChild(page, "messageList")
        tryVerify(() => messages.count >= 1, 30000)
        waitForRendering(page)
        const controls = checkNames(page)
        const names = controls.map(c => c.objectName)
        for (const expected of ["menuButton", "newChatButton", "composerField", "sendButton"])
            verify(names.indexOf(expected) >= 0, expected + " was not walked: " + names)
        verify(controls.some(c => c.Accessible.role === Accessible.ListItem), "no conversation row walked")
        // Narrow, with its back button.
        page.width = 390
        waitForRendering(page)
        verify(checkNames(page).some(c => c.objectName === "backButton"), "the back button was not walked")
    }

    function test_keyboard() {
        tryCompare(SessionController, "phase", SessionController.Online, 30000)
        const page = createTemporaryObject(homeComponent, testCase, { width: 1024, height: 720 })
        const list = findChild(page, "conversationList")
        tryVerify(() => list.count >= 1, 30000)
        SessionController.openConversation("", "")
        // Ctrl+N opens "New chat" with the cursor in its field; Esc closes it.
        keyClick(Qt.Key_N, Qt.ControlModifier)
        const field = findChild(page, "newChatField")
        tryVerify(() => field.activeFocus, 5000)
        keyClick(Qt.Key_Escape)
        tryVerify(() => !field.visible || !field.activeFocus, 5000)
        // Alt+Down opens the first conversation; the composer has the focus.
        keyClick(Qt.Key_Down, Qt.AltModifier)
        tryCompare(SessionController.chat, "key", list.itemAtIndex(0).key, 5000)
        const composer = findChild(page, "composerField")
        tryVerify(() => composer.activeFocus, 5000)
        // Tab leaves the composer for the next control.
        keyClick(Qt.Key_Tab)
        verify(!composer.activeFocus)
    }
}

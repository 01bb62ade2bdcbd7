// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ChatterMesh
import ChatterMesh.Test

// A group against the real server: the peer makes it with us in it, it shows in our list, our
// message in it is delivered, then read once the peer reads it; the message details say who read
// it and when. Runs after tst_2_Chat (signed in; the peer is offline by then and comes back here).
TestCase {
    id: testCase
    name: "Group"
    when: windowShown
    width: 1024
    height: 720
    visible: true

    Component {
        id: homeComponent
        HomePage {}
    }

    function rowTitled(list, title) {
        for (let i = 0; i < list.count; ++i) {
            const row = list.itemAtIndex(i)
            if (row && row.title === title)
                return row
        }
        return null
    }

    function test_groupMessageReadBy() {
        tryCompare(SessionController, "phase", SessionController.Online, 30000)
        verify(TestEnv.peerComesBack())
        const page = createTemporaryObject(homeComponent, testCase, { width: 1024, height: 720 })
        const list = findChild(page, "conversationList")
        TestEnv.peerCreatesGroup("Weekend trip", [SessionController.username])
        tryVerify(() => rowTitled(list, "Weekend trip") !== null, 30000, "the group never showed up")
        mouseClick(rowTitled(list, "Weekend trip"))
        tryCompare(findChild(page, "chatTitle"), "text", "Weekend trip", 5000)
        verify(SessionController.chat.group)

        const messages = findChild(page, "messageList")
        const field = findChild(page, "composerField")
        field.forceActiveFocus()
        field.text = "Who brings the tent?"
        keyClick(Qt.Key_Return)
        tryVerify(() => {
            messages.positionViewAtEnd()
            const last = messages.itemAtIndex(messages.count - 1)
            return last !== null && last.body === "Who brings the tent?"
        }, 10000)
        messages.positionViewAtEnd()
        const mine = messages.itemAtIndex(messages.count - 1)
        tryCompare(mine, "delivery", "delivered", 30000)
        verify(TestEnv.peerReadsGroup("Weekend trip"))
        tryCompare(mine, "delivery", "read", 30000)

        // Tap my bubble: who read it, and when.
        const details = findChild(page, "messageDetails")
        mouseClick(findChild(mine, "bubbleBackground"))
        tryVerify(() => details.opened, 10000)
        compare(details.receipts.length, 1)
        compare(details.receipts[0].user, TestEnv.peerName)
        verify(details.receipts[0].read.length > 0)
        verify(details.receipts[0].delivered.length > 0)
        waitForRendering(page)
        for (const mode of ["light", "dark"]) {
            SessionController.settings.themeMode = mode
            waitForRendering(page)
            grabImage(page).save(TestEnv.screenshotDir + "/group-read-by-" + mode + ".png")
        }
        SessionController.settings.themeMode = "system"
        details.close()
    }
}

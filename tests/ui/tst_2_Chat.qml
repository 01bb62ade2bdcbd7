// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtTest
import ChatterMesh
import ChatterMesh.Test

// A conversation against the real server with a second real engine (the peer, TestEnv): its
// message arrives in the list with an unread badge; opening it shows the bubble; our reply's ticks
// move from sent to delivered to read; the peer's typing shows in the header and goes; its presence
// changes to "last seen" when it goes offline; the layout is two panes when wide and one with back
// navigation when narrow. Runs after tst_1_SignIn (signed in as "uitester").
TestCase {
    id: testCase
    name: "Chat"
    when: windowShown
    width: 1024
    height: 720
    visible: true

    Component {
        id: homeComponent
        HomePage {}
    }

    function lastBubble(list) {
        list.positionViewAtEnd()
        return list.itemAtIndex(list.count - 1)
    }

    function shoot(page, name) {
        for (const mode of ["light", "dark"]) {
            SessionController.settings.themeMode = mode
            waitForRendering(page)
            grabImage(page).save(TestEnv.screenshotDir + "/" + name + "-" + mode + ".png")
        }
        SessionController.settings.themeMode = "system"
    }

    function test_conversation() {
        tryCompare(SessionController, "phase", SessionController.Online, 30000)
        const me = SessionController.username
        const peer = TestEnv.peerName
        const page = createTemporaryObject(homeComponent, testCase, { width: 1024, height: 720 })
        verify(page)
        const list = findChild(page, "conversationList")
        verify(findChild(page, "emptyListLabel").visible)

        // The peer writes first: a row with its name, the preview and one unread.
        verify(TestEnv.peerSend(me, "Hello from the peer"))
        tryCompare(list, "count", 1, 30000)
        let row = list.itemAtIndex(0)
        compare(row.title, peer)
        tryCompare(row, "preview", "Hello from the peer", 10000)
        tryCompare(row, "unread", 1, 10000)
        verify(findChild(row, "unreadBadge").visible)

        // Open it: the bubble is there and, shown in an active window, it is read.
        mouseClick(row)
        const chatPane = findChild(page, "chatPane")
        tryVerify(() => chatPane.visible)
        compare(findChild(page, "chatTitle").text, peer)
        const messages = findChild(page, "messageList")
        tryCompare(messages, "count", 1, 10000)
        compare(lastBubble(messages).body, "Hello from the peer")
        compare(lastBubble(messages).outgoing, false)
        tryCompare(SessionController.conversations, "unreadTotal", 0, 10000)

        // Reply with Enter: pending or sent at once, then delivered, then read once the peer reads.
        const field = findChild(page, "composerField")
        field.forceActiveFocus()
        field.text = "Hi peer, got it"
        keyClick(Qt.Key_Return)
        compare(field.text, "")
        tryCompare(messages, "count", 2, 10000)
        let mine = lastBubble(messages)
        compare(mine.body, "Hi peer, got it")
        verify(mine.outgoing)
        tryCompare(mine, "delivery", "delivered", 30000)
        compare(findChild(mine, "ticks").text, "✓✓")
        compare(TestEnv.peerReceived(me), ["Hi peer, got it"])
        TestEnv.peerReadsAll(me)
        tryCompare(mine, "delivery", "read", 30000)
        compare(findChild(mine, "ticks").Accessible.name, "Read")

        // Shift+Enter breaks the line instead of sending.
        field.text = "first line"
        field.cursorPosition = field.text.length
        keyClick(Qt.Key_Return, Qt.ShiftModifier)
        compare(messages.count, 2)
        verify(field.text.indexOf("\n") > 0)
        field.text = ""

        // The peer types, then clears its composer: "typing…" comes and goes in the header.
        const status = findChild(page, "chatStatus")
        tryCompare(status, "text", "online", 30000)
        TestEnv.peerTypes(me, "let me think")
        tryCompare(status, "text", "typing…", 30000)
        shoot(page, "chat-wide")
        TestEnv.peerTypes(me, "")
        tryCompare(status, "text", "online", 30000)

        // A photo from the peer: its thumbnail (inside the message) shows at once, the picture
        // itself after a tap fetches it and checks its digest.
        const photo = TestEnv.makePhoto(800, 600)
        verify(photo.length > 0)
        verify(TestEnv.peerSendFile(me, photo))
        tryCompare(messages, "count", 3, 30000)
        const pic = lastBubble(messages)
        compare(pic.kind, "media")
        tryCompare(pic, "mediaKind", "image", 10000)
        compare(pic.mediaWidth, 800)
        compare(pic.mediaHeight, 600)
        const thumb = findChild(pic, "thumbnailImage")
        const full = findChild(pic, "fullImage")
        tryCompare(thumb, "status", Image.Ready, 10000)
        verify(thumb.visible)
        compare(thumb.sourceSize, Qt.size(320, 240))
        compare(String(full.source), "")
        shoot(page, "chat-image-thumbnail")
        const download = findChild(pic, "downloadButton")
        verify(download.visible)
        mouseClick(download)
        tryCompare(pic, "transfer", "done", 30000)
        verify(String(full.source).indexOf("image://chattermesh/full/") === 0)
        tryCompare(full, "status", Image.Ready, 10000)
        verify(!thumb.visible)
        verify(!download.visible)
        verify(full.sourceSize.width > 320) // the picture, not the thumbnail
        shoot(page, "chat-image-full")

        // Narrow: one pane; the chat covers the list and Back returns to it.
        page.width = 390
        page.height = 700
        const listPane = findChild(page, "listPane")
        tryVerify(() => !listPane.visible)
        const back = findChild(page, "backButton")
        verify(back.visible)
        shoot(page, "chat-narrow")
        mouseClick(back)
        tryVerify(() => listPane.visible && !chatPane.visible)
        shoot(page, "list-narrow")
        page.width = 1024
        page.height = 720
        tryVerify(() => listPane.visible && chatPane.visible)
        shoot(page, "list-wide")

        // German, switched while running: the chat view's strings change at once; then back.
        SessionController.language = "de"
        compare(findChild(page, "sendButton").text, "Senden")
        compare(findChild(page, "composerField").placeholderText, "Nachricht")
        compare(findChild(page, "sendButton").Accessible.name, "Nachricht senden")
        compare(findChild(page, "backButton").Accessible.name, "Zurück zu den Unterhaltungen")
        compare(messages.itemAtIndex(0).dayText, "Heute")
        shoot(page, "chat-german")
        SessionController.language = "en"
        compare(findChild(page, "sendButton").text, "Send")

        // The peer goes offline: its presence turns into "last seen".
        TestEnv.peerGoesOffline()
        tryVerify(() => status.text.indexOf("last seen") === 0, 30000, "presence never changed: " + status.text)
    }
}

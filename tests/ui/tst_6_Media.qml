// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import ChatterMesh
import ChatterMesh.Test

// Attachments from the composer and playback in the bubble, against the real server: a photo
// picked in the file dialog reaches the peer byte for byte; a video the peer sends is fetched on
// tap and plays in its bubble to the end. Runs after tst_5_Details (signed in, peer online).
TestCase {
    id: testCase
    name: "Media"
    when: windowShown
    width: 1024
    height: 720
    visible: true

    Component {
        id: homeComponent
        HomePage {}
    }

    property var page: null

    function init() {
        tryCompare(SessionController, "phase", SessionController.Online, 30000)
        verify(TestEnv.peerComesBack())
        page = createTemporaryObject(homeComponent, testCase, { width: 1024, height: 720 })
        SessionController.openConversation(TestEnv.peerName, TestEnv.peerName)
        tryCompare(findChild(page, "chatTitle"), "text", TestEnv.peerName)
    }
    function lastBubble() {
        const messages = findChild(page, "messageList")
        messages.positionViewAtEnd()
        return messages.itemAtIndex(messages.count - 1)
    }

    function test_1_attachAPhoto() {
        const photo = TestEnv.makePhoto(640, 480)
        verify(photo.length > 0)
        waitForRendering(page)
        mouseClick(findChild(page, "attachButton"))
        const picker = findChild(page, "attachPicker")
        tryCompare(picker, "visible", true)
        // The platform's dialog is not driven here (Qt 6.4's own one ignores a selection set from
        // outside); the pane gets the picked file the way the dialog's accepted handler hands it.
        picker.close()
        findChild(page, "chatPane").attachFile(TestEnv.fileUrl(photo))
        tryVerify(() => lastBubble() && lastBubble().kind === "media" && lastBubble().outgoing, 10000,
                  "error: " + findChild(page, "sendError").text)
        tryCompare(lastBubble(), "delivery", "delivered", 30000)
        // My own bubble shows the photo, not a file icon, once it is sealed and described.
        tryVerify(() => {
            const bubble = lastBubble()
            const media = bubble ? findChild(bubble, "mediaContent") : null
            return media && media.visual && media.mediaWidth === 640 && media.mediaHeight === 480
        }, 10000, "the sent photo shows no thumbnail")
        tryVerify(() => TestEnv.peerGotFile(SessionController.username, photo), 30000,
                  "the peer did not get the photo intact")
    }

    // The newest bubble, if it is an attachment from the peer. Looked up afresh each time: the
    // list reuses its delegates, so a bubble held across a scroll may show another message.
    function incomingMedia() {
        const bubble = lastBubble()
        return bubble && bubble.kind === "media" && !bubble.outgoing ? bubble : null
    }
    function controlOfIncomingMedia(name) {
        const bubble = incomingMedia()
        const control = bubble ? findChild(bubble, name) : null
        return control && control.visible ? control : null
    }

    function test_2_aVideoPlaysInItsBubble() {
        verify(TestEnv.peerSendFile(SessionController.username, TestEnv.mediaSample("smpte.webm")))
        tryVerify(() => controlOfIncomingMedia("downloadButton") !== null, 30000, "no video to fetch")
        waitForRendering(page)
        mouseClick(controlOfIncomingMedia("downloadButton"))
        tryVerify(() => controlOfIncomingMedia("playButton") !== null, 30000, "the video never became playable: transfer '"
                  + (incomingMedia() ? findChild(incomingMedia(), "mediaContent").transfer : "?") + "'")
        waitForRendering(page)
        const bubble = incomingMedia()
        const play = findChild(bubble, "playButton")
        const playback = findChild(bubble, "playback")
        mouseClick(play)
        tryVerify(() => playback.state === "playing" || playback.state === "finished", 20000,
                  "state " + playback.state + " " + playback.errorText)
        tryCompare(playback, "state", "finished", 20000)
        verify(playback.duration >= 900, "duration " + playback.duration)
        compare(playback.errorText, "")
        // Again from the start: the decrypted copy is kept while the bubble lives.
        mouseClick(play)
        tryCompare(playback, "state", "finished", 20000)
    }
}

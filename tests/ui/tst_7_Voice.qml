// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import ChatterMesh
import ChatterMesh.Test

// Voice notes from the composer, recorded from a real capture device (tst_ui starts a private
// PulseAudio whose default input plays a 440 Hz tone): the note reaches the peer, decodes to what
// was recorded, plays in its bubble, and no plaintext recording is left behind; a cancelled note
// sends nothing. Runs after tst_6_Media (signed in, peer online).
TestCase {
    id: testCase
    name: "Voice"
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
        waitForRendering(page)
    }
    function lastBubble() {
        const messages = findChild(page, "messageList")
        messages.positionViewAtEnd()
        return messages.itemAtIndex(messages.count - 1)
    }
    // What the conversation list says of the chat with the peer.
    function peerPreview() {
        const list = findChild(page, "conversationList")
        for (let i = 0; i < list.count; ++i) {
            const row = list.itemAtIndex(i)
            if (row && row.title === TestEnv.peerName)
                return findChild(row, "previewLabel").text
        }
        return ""
    }
    function ownVoiceNote() {
        const bubble = lastBubble()
        return bubble && bubble.outgoing && bubble.mediaKind === "voice" ? bubble : null
    }

    function test_1_recordAndSend() {
        const recorder = findChild(page, "voiceRecorder")
        const before = findChild(page, "messageList").count
        mouseClick(findChild(page, "voiceButton"))
        tryCompare(findChild(page, "voiceRow"), "visible", true)
        tryCompare(recorder, "state", "recording", 20000, "error: " + recorder.errorText)
        // The composer counts the seconds while the tone is recorded.
        tryVerify(() => recorder.durationMs >= 1500, 20000, "recorded " + recorder.durationMs + " ms")
        tryVerify(() => findChild(page, "voiceStatus").text.indexOf("0:01") >= 0, 5000,
                  findChild(page, "voiceStatus").text)
        waitForRendering(page)
        grabImage(page).save(TestEnv.screenshotDir + "/voice-recording-light.png")

        mouseClick(findChild(page, "voiceSendButton"))
        tryCompare(recorder, "state", "idle", 20000)
        tryCompare(findChild(page, "voiceRow"), "visible", false)
        compare(recorder.errorText, "")
        tryVerify(() => findChild(page, "messageList").count === before + 1, 10000)
        tryVerify(() => ownVoiceNote() !== null, 10000, "error: " + findChild(page, "sendError").text)
        tryCompare(ownVoiceNote(), "delivery", "delivered", 30000)
        // Named for what it is, with its length, not by the recording's file name.
        compare(findChild(ownVoiceNote(), "mediaContent").kind, "voice")
        tryVerify(() => /^Voice note \(0:0[1-9]\)$/.test(peerPreview()), 10000, "preview: " + peerPreview())

        // At the peer: a voice note of about what was recorded, decrypted intact.
        let heard = 0
        tryVerify(() => (heard = TestEnv.peerGotVoiceNote(SessionController.username)) > 0, 30000,
                  "the peer did not get the voice note")
        verify(heard >= 1400, "the peer's note lasts " + heard + " ms")
        // The plaintext recording went once the note was sealed.
        tryVerify(() => TestEnv.recordingsLeft() === 0, 10000, TestEnv.recordingsLeft() + " left")

        // And it plays in my own bubble, from the encrypted spool.
        tryVerify(() => ownVoiceNote() && findChild(ownVoiceNote(), "playButton")
                  && findChild(ownVoiceNote(), "playButton").visible, 30000, "not playable")
        waitForRendering(page)
        const playback = findChild(ownVoiceNote(), "playback")
        mouseClick(findChild(ownVoiceNote(), "playButton"))
        tryCompare(playback, "state", "finished", 30000, playback.errorText)
        verify(playback.duration >= 1400, "duration " + playback.duration)
        for (const mode of ["light", "dark"]) {
            SessionController.settings.themeMode = mode
            waitForRendering(page)
            grabImage(page).save(TestEnv.screenshotDir + "/chat-voice-note-" + mode + ".png")
        }
        SessionController.settings.themeMode = "system"
    }

    function test_2_cancelSendsNothing() {
        const recorder = findChild(page, "voiceRecorder")
        const before = findChild(page, "messageList").count
        findChild(page, "voiceButton").forceActiveFocus()
        keyClick(Qt.Key_Space)
        tryCompare(recorder, "state", "recording", 20000, "error: " + recorder.errorText)
        tryVerify(() => recorder.durationMs > 0, 20000)
        // Esc from the recording row cancels; the focus went to its send button.
        verify(findChild(page, "voiceSendButton").activeFocus)
        keyClick(Qt.Key_Escape)
        tryCompare(recorder, "state", "idle")
        compare(findChild(page, "voiceRow").visible, false)
        compare(TestEnv.recordingsLeft(), 0)
        compare(findChild(page, "messageList").count, before)
        compare(recorder.errorText, "")
    }
}

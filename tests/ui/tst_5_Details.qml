// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import ChatterMesh
import ChatterMesh.Test

// Drafts, notifications, contact info with the safety number and a changed identity, a new group
// with its info and admin actions, Ctrl+K, and settings — against the real server, with the peer's
// real engines on the other side. Runs after tst_4_Group (signed in; a 1:1 with the peer and the
// peer's group "Weekend trip").
TestCase {
    id: testCase
    name: "Details"
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
        tryVerify(() => findChild(page, "conversationList").count >= 2, 30000)
    }

    function rowTitled(title) {
        const list = findChild(page, "conversationList")
        for (let i = 0; i < list.count; ++i) {
            const row = list.itemAtIndex(i)
            if (row && row.title === title)
                return row
        }
        return null
    }
    function previewOf(title) {
        const row = rowTitled(title)
        return row ? findChild(row, "previewLabel").text : ""
    }
    function lastBody() {
        const messages = findChild(page, "messageList")
        messages.positionViewAtEnd()
        const last = messages.itemAtIndex(messages.count - 1)
        return last ? last.body : ""
    }
    // docs/screenshots (scripts/screenshots): the page as it is now, light and dark.
    function shoot(name) {
        for (const mode of ["light", "dark"]) {
            SessionController.settings.themeMode = mode
            waitForRendering(page)
            grabImage(page).save(TestEnv.screenshotDir + "/" + name + "-" + mode + ".png")
        }
        SessionController.settings.themeMode = "system"
    }
    // The member's row button once it can be used (no other request in flight).
    function clickMemberButton(info, member, name) {
        tryVerify(() => {
            const row = findChild(info.contentItem, "member_" + member)
            const button = row ? findChild(row, name) : null
            return button !== null && button.visible && button.enabled
        }, 30000, name + " of " + member + " never became usable")
        // One frame first: the layouts place a new row on their next polish, and a click aimed
        // before that lands where the button is not (on the switch below it, say).
        waitForRendering(page)
        mouseClick(findChild(findChild(info.contentItem, "member_" + member), name))
        verify(SessionController.details.busy, name + " sent no request")
    }
    function groupKey(title) {
        tryVerify(() => rowTitled(title) !== null, 30000, title + " is not in the list")
        return rowTitled(title).key
    }

    function test_1_draftsStayWithTheirConversation() {
        const peer = TestEnv.peerName
        const group = groupKey("Weekend trip")
        SessionController.openConversation(peer, peer)
        const field = findChild(page, "composerField")
        tryCompare(findChild(page, "chatTitle"), "text", peer)
        field.forceActiveFocus()
        field.text = "half a thought"
        SessionController.openConversation(group, "Weekend trip")
        tryCompare(findChild(page, "chatTitle"), "text", "Weekend trip")
        compare(field.text, "", "the draft followed into another conversation")
        // Kept in the store and shown in the list in place of the last message.
        tryVerify(() => previewOf(peer) === "Draft: half a thought", 10000, "got: " + previewOf(peer))
        shoot("list-with-draft")
        SessionController.openConversation(peer, peer)
        tryCompare(field, "text", "half a thought", 10000)
        // Sent: no draft is left.
        keyClick(Qt.Key_Return)
        tryVerify(() => lastBody() === "half a thought", 10000)
        SessionController.openConversation(group, "Weekend trip")
        tryVerify(() => previewOf(peer) === "half a thought", 10000, "got: " + previewOf(peer))
    }

    function test_2_notificationsFollowFocusAndMute() {
        const peer = TestEnv.peerName
        const group = groupKey("Weekend trip")
        const notifier = SessionController.notifier
        const details = SessionController.details
        notifier.windowActive = true
        const before = notifier.shown

        // In front with the 1:1 open: its message needs no notification; the group's does.
        SessionController.openConversation(peer, peer)
        tryCompare(findChild(page, "chatTitle"), "text", peer)
        verify(TestEnv.peerSend(SessionController.username, "you see this already"))
        tryVerify(() => lastBody() === "you see this already", 30000)
        verify(TestEnv.peerSendGroup(group, "tent or cabin?"))
        tryCompare(notifier, "shown", before + 1, 30000)
        compare(notifier.lastKey, group)

        // Muted: nothing, even with the window behind others.
        SessionController.openConversation(group, "Weekend trip")
        tryCompare(details, "key", group)
        details.setMuted(true)
        tryVerify(() => rowTitled("Weekend trip") && findChild(rowTitled("Weekend trip"), "mutedMark").visible, 10000)
        notifier.windowActive = false
        verify(TestEnv.peerSendGroup(group, "muted chatter"))
        tryVerify(() => lastBody() === "muted chatter", 30000)
        verify(TestEnv.peerSend(SessionController.username, "ping"))
        tryCompare(notifier, "shown", before + 2, 30000)
        compare(notifier.lastKey, peer)

        // The window behind others: even the open conversation notifies.
        verify(TestEnv.peerSendGroup(group, "still muted"))
        SessionController.openConversation(peer, peer)
        tryCompare(findChild(page, "chatTitle"), "text", peer)
        verify(TestEnv.peerSend(SessionController.username, "are you there?"))
        tryCompare(notifier, "shown", before + 3, 30000)
        // Shown by the desktop's notification service (over D-Bus), with the sender and the text.
        tryVerify(() => TestEnv.lastDesktopNotification().body === "are you there?", 10000,
                  JSON.stringify(TestEnv.lastDesktopNotification()))
        compare(TestEnv.lastDesktopNotification().summary, peer)
        compare(TestEnv.lastDesktopNotification().app, "ChatterMesh")
        verify(TestEnv.lastDesktopNotification().actions.indexOf("default") >= 0)
        compare(TestEnv.desktopNotifications(), before + 3)

        // Clicking the notification on the desktop opens its conversation.
        SessionController.openConversation(group, "Weekend trip")
        tryCompare(SessionController.chat, "key", group)
        TestEnv.clickDesktopNotification()
        tryCompare(SessionController.chat, "key", peer)

        // Notifications off: none at all.
        SessionController.settings.notifications = false
        verify(TestEnv.peerSend(SessionController.username, "quiet please"))
        tryVerify(() => lastBody() === "quiet please", 30000)
        SessionController.settings.notifications = true
        verify(TestEnv.peerSend(SessionController.username, "loud again"))
        tryCompare(notifier, "shown", before + 4, 30000)
        notifier.windowActive = true
        SessionController.openConversation(group, "Weekend trip")
        tryCompare(details, "key", group)
        details.setMuted(false)
        tryVerify(() => !findChild(rowTitled("Weekend trip"), "mutedMark").visible, 10000)
    }

    function test_3_contactInfoVerifiesAndShowsAChangedIdentity() {
        const peer = TestEnv.peerName
        const details = SessionController.details
        SessionController.openConversation(peer, peer)
        mouseClick(findChild(page, "infoButton"))
        const info = findChild(page, "conversationInfo")
        tryCompare(info, "opened", true)
        const number = findChild(info.contentItem, "safetyNumber")
        tryVerify(() => /^[0-9 \n]{60,}$/.test(number.text), 10000, "no safety number: " + number.text)
        // The same 60 digits on the peer's phone.
        compare(number.text.replace(/\s/g, ""), TestEnv.peerSafetyNumber(SessionController.username))
        const verifiedNumber = number.text
        verify(!details.verified)
        waitForRendering(page)
        mouseClick(findChild(info.contentItem, "verifiedSwitch"))
        tryCompare(details, "verified", true, 10000)

        // The peer writes from a new device: its keys are new, so sending to it stops until I look.
        verify(TestEnv.peerNewDeviceSends(SessionController.username, "new phone, who dis"))
        tryCompare(details, "identityChanged", true, 30000)
        tryCompare(findChild(page, "identityBanner"), "visible", true)
        tryCompare(findChild(info.contentItem, "identityNotice"), "visible", true)
        shoot("contact-info-identity-changed")
        // A new device is a new key: the number to compare is a new one.
        tryVerify(() => /^[0-9 \n]{60,}$/.test(number.text) && number.text !== verifiedNumber, 10000)
        waitForRendering(page)
        mouseClick(findChild(info.contentItem, "acceptIdentityButton"))
        tryCompare(details, "identityChanged", false, 10000)
        tryCompare(findChild(page, "identityBanner"), "visible", false)
        info.close()
    }

    function test_4_newGroupInfoAndAdminActions() {
        const peer = TestEnv.peerName
        const details = SessionController.details
        keySequence("Ctrl+Shift+N")
        const dialog = findChild(page, "newGroupDialog")
        tryCompare(dialog, "opened", true)
        findChild(dialog.contentItem, "groupNameField").text = "Book club"
        findChild(dialog.contentItem, "groupMembersField").text = peer
        waitForRendering(page)
        mouseClick(findChild(dialog.contentItem, "createGroupButton"))
        tryCompare(findChild(page, "chatTitle"), "text", "Book club", 30000)
        tryCompare(dialog, "opened", false)
        const key = SessionController.chat.key
        verify(key.startsWith("#"))

        mouseClick(findChild(page, "infoButton"))
        const info = findChild(page, "conversationInfo")
        tryCompare(info, "opened", true)
        tryVerify(() => details.members.length === 2, 30000, "members: " + JSON.stringify(details.members))
        verify(details.amAdmin)
        tryVerify(() => TestEnv.peerSeesRole(key, peer) === "member", 30000)

        // Make the peer an admin: the peer's own device shows it.
        clickMemberButton(info, peer, "adminButton")
        tryVerify(() => TestEnv.peerSeesRole(key, peer) === "admin", 30000,
                  "peer sees " + TestEnv.peerSeesRole(key, peer) + "; error '" + details.errorText + "'; busy "
                  + details.busy + "; members " + JSON.stringify(details.members))
        tryVerify(() => findChild(findChild(info.contentItem, "member_" + peer), "role").text === "Admin", 30000)
        shoot("group-info")

        // Rename: the list and the peer follow.
        const rename = findChild(info.contentItem, "renameField")
        rename.text = "Reading club"
        waitForRendering(page)
        mouseClick(findChild(info.contentItem, "renameButton"))
        tryVerify(() => rowTitled("Reading club") !== null, 30000)
        tryVerify(() => TestEnv.peerSeesGroupTitle(key) === "Reading club", 30000)

        // Remove the peer: one member left, and the peer's device no longer lists itself.
        clickMemberButton(info, peer, "removeButton")
        tryVerify(() => details.members.length === 1, 30000)
        tryVerify(() => TestEnv.peerSeesRole(key, peer) === "", 30000)
        compare(details.errorText, "")
        info.close()
    }

    function test_5_ctrlKFindsAConversation() {
        SessionController.openConversation(TestEnv.peerName, TestEnv.peerName)
        keySequence("Ctrl+K")
        const switcher = findChild(page, "quickSwitcher")
        tryCompare(switcher, "opened", true)
        const field = findChild(switcher.contentItem, "switcherField")
        tryVerify(() => field.activeFocus)
        keyClick("w")
        keyClick("e")
        keyClick("e")
        compare(switcher.matches.length, 1)
        compare(switcher.matches[0].title, "Weekend trip")
        shoot("quick-switcher")
        keyClick(Qt.Key_Return)
        tryCompare(SessionController.chat, "title", "Weekend trip")
        tryCompare(switcher, "opened", false)
        keySequence("Ctrl+K")
        tryCompare(switcher, "opened", true)
        keyClick(Qt.Key_Escape)
        tryCompare(switcher, "opened", false)
    }

    function test_6_settingsReachTheServerAndStay() {
        const settings = SessionController.settings
        keySequence("Ctrl+,")
        const dialog = findChild(page, "settingsDialog")
        tryCompare(dialog, "opened", true)
        // This account's devices, from the server.
        tryVerify(() => settings.devices.some(d => d.current && d.name === "ui-test"), 30000,
                  JSON.stringify(settings.devices))
        shoot("settings")

        // Last seen hidden from everyone: the server stops telling the peer I am online.
        tryVerify(() => TestEnv.peerSeesOnline(SessionController.username), 30000)
        settings.lastSeenVisibility = 2
        tryVerify(() => !TestEnv.peerSeesOnline(SessionController.username), 30000)
        settings.lastSeenVisibility = 0
        tryVerify(() => TestEnv.peerSeesOnline(SessionController.username), 30000)

        // The theme is kept for the next start.
        settings.themeMode = "dark"
        compare(Theme.mode, "dark")
        compare(TestEnv.setting("theme"), "dark")
        settings.themeMode = "system"
        compare(TestEnv.setting("theme"), "system")
        keyClick(Qt.Key_Escape)
        tryCompare(dialog, "opened", false)
    }
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="43"/>
        <source>Back to conversations</source>
        <translation>Zurück zu den Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="67"/>
        <source>Muted</source>
        <translation>Stummgeschaltet</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="89"/>
        <source>Group info</source>
        <translation>Gruppeninfo</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="89"/>
        <source>Contact info</source>
        <translation>Kontaktinfo</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="114"/>
        <source>%1&apos;s safety number changed. Messages to them are paused.</source>
        <translation>Die Sicherheitsnummer von %1 hat sich geändert. Nachrichten an diese Person sind angehalten.</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="120"/>
        <source>Review</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="121"/>
        <source>Review the new safety number</source>
        <translation>Die neue Sicherheitsnummer prüfen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="138"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="175"/>
        <source>Jump to the latest message</source>
        <translation>Zur neuesten Nachricht springen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="182"/>
        <source>Attach</source>
        <translation>Anhängen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="183"/>
        <source>Photos and videos (*.jpg *.jpeg *.png *.gif *.webp *.mp4 *.webm *.ogv *.mov)</source>
        <translation>Fotos und Videos (*.jpg *.jpeg *.png *.gif *.webp *.mp4 *.webm *.ogv *.mov)</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="184"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../qml/components/Composer.qml" line="68"/>
        <source>Attach a photo, video or file</source>
        <translation>Ein Foto, ein Video oder eine Datei anhängen</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="79"/>
        <location filename="../qml/components/Composer.qml" line="82"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="107"/>
        <source>Record a voice note</source>
        <translation>Sprachnachricht aufnehmen</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="120"/>
        <location filename="../qml/components/Composer.qml" line="171"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="124"/>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="145"/>
        <source>Cancel the voice note</source>
        <translation>Sprachnachricht verwerfen</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="162"/>
        <source>Starting the microphone…</source>
        <translation>Mikrofon wird gestartet …</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="163"/>
        <source>Finishing the voice note…</source>
        <translation>Sprachnachricht wird abgeschlossen …</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="164"/>
        <source>Recording %1</source>
        <translation>Aufnahme %1</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="175"/>
        <source>Send the voice note</source>
        <translation>Sprachnachricht senden</translation>
    </message>
</context>
<context>
    <name>ConnectionBadge</name>
    <message>
        <location filename="../qml/components/ConnectionBadge.qml" line="13"/>
        <source>Connection: %1</source>
        <translation>Verbindung: %1</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message numerus="yes">
        <location filename="../qml/components/ConversationDelegate.qml" line="29"/>
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n ungelesen</numerusform>
            <numerusform>%1, %n ungelesen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/components/ConversationDelegate.qml" line="30"/>
        <location filename="../qml/components/ConversationDelegate.qml" line="77"/>
        <source>Draft: %1</source>
        <translation>Entwurf: %1</translation>
    </message>
    <message>
        <location filename="../qml/components/ConversationDelegate.qml" line="61"/>
        <source>Muted</source>
        <translation>Stummgeschaltet</translation>
    </message>
</context>
<context>
    <name>ConversationInfoDialog</name>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="16"/>
        <source>Group info</source>
        <translation>Gruppeninfo</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="16"/>
        <source>Contact info</source>
        <translation>Kontaktinfo</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="47"/>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="49"/>
        <source>Mute notifications</source>
        <translation>Benachrichtigungen stummschalten</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="68"/>
        <source>%1&apos;s safety number changed: they reinstalled, got a new phone, or someone is in between. Messages to them are paused until you accept the new number. Compare it with them first.</source>
        <translation>Die Sicherheitsnummer von %1 hat sich geändert: neu installiert, ein neues Telefon – oder jemand sitzt dazwischen. Nachrichten an diese Person sind angehalten, bis du die neue Nummer annimmst. Vergleicht sie vorher miteinander.</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="76"/>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="77"/>
        <source>Accept the new safety number</source>
        <translation>Die neue Sicherheitsnummer annehmen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="84"/>
        <source>Safety number</source>
        <translation>Sicherheitsnummer</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="93"/>
        <source>No session with them yet: send a message first.</source>
        <translation>Noch keine Sitzung mit dieser Person: schreib zuerst eine Nachricht.</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="102"/>
        <source>Compare these numbers with the ones %1 sees, in person or on a call you trust. If they match, your messages are end-to-end encrypted with them and nobody in between.</source>
        <translation>Vergleiche diese Zahlen mit denen, die %1 sieht – persönlich oder in einem Anruf, dem du vertraust. Stimmen sie überein, sind eure Nachrichten Ende-zu-Ende-verschlüsselt, und niemand sitzt dazwischen.</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="112"/>
        <source>Verified</source>
        <translation>Verifiziert</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="114"/>
        <source>Mark the safety number as verified</source>
        <translation>Die Sicherheitsnummer als verifiziert markieren</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="126"/>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="128"/>
        <source>Group name</source>
        <translation>Gruppenname</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="133"/>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="136"/>
        <source>Rename the group</source>
        <translation>Die Gruppe umbenennen</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="142"/>
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="157"/>
        <source>%1 (you)</source>
        <translation>%1 (du)</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="164"/>
        <source>Owner</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="165"/>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="172"/>
        <source>Dismiss as admin</source>
        <translation>Als Admin entfernen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="172"/>
        <source>Make admin</source>
        <translation>Zum Admin machen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="174"/>
        <source>Dismiss %1 as admin</source>
        <translation>%1 als Admin entfernen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="175"/>
        <source>Make %1 an admin</source>
        <translation>%1 zum Admin machen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="182"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="183"/>
        <source>Remove %1 from the group</source>
        <translation>%1 aus der Gruppe entfernen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="195"/>
        <source>Username to add</source>
        <translation>Hinzuzufügender Benutzername</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="196"/>
        <source>Username to add to the group</source>
        <translation>Benutzername, der zur Gruppe hinzugefügt wird</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="202"/>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="204"/>
        <source>Add the member</source>
        <translation>Das Mitglied hinzufügen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="212"/>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="214"/>
        <source>Only admins can send messages</source>
        <translation>Nur Admins können Nachrichten senden</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="229"/>
        <source>Leave group</source>
        <translation>Gruppe verlassen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationInfoDialog.qml" line="230"/>
        <source>Leave the group</source>
        <translation>Die Gruppe verlassen</translation>
    </message>
</context>
<context>
    <name>ConversationListPane</name>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="38"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="43"/>
        <source>New group…</source>
        <translation>Neue Gruppe …</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="44"/>
        <source>Settings…</source>
        <translation>Einstellungen …</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="47"/>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="48"/>
        <location filename="../qml/pages/ConversationListPane.qml" line="54"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="49"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="50"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="53"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="66"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="68"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Neuer Chat (Strg+N)</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="81"/>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="93"/>
        <source>No conversations yet. Start one with “New chat”.</source>
        <translation>Noch keine Unterhaltungen. Beginne eine mit „Neuer Chat“.</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../qml/pages/HomePage.qml" line="77"/>
        <source>Choose a conversation, or start a new one.</source>
        <translation>Wähle eine Unterhaltung oder beginne eine neue.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Main.qml" line="17"/>
        <source>ChatterMesh — %1</source>
        <translation>ChatterMesh – %1</translation>
    </message>
    <message>
        <location filename="../qml/Main.qml" line="18"/>
        <source>ChatterMesh</source>
        <translation>ChatterMesh</translation>
    </message>
</context>
<context>
    <name>MediaContent</name>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="41"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="43"/>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="44"/>
        <source>%1 bytes</source>
        <translation>%1 Byte</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="109"/>
        <source>Voice note</source>
        <translation>Sprachnachricht</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="141"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="141"/>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="148"/>
        <source>Playback position</source>
        <translation>Wiedergabeposition</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="174"/>
        <source>Sending attachment</source>
        <translation>Anhang wird gesendet</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="174"/>
        <source>Downloading attachment</source>
        <translation>Anhang wird geladen</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="179"/>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="180"/>
        <source>Download %1</source>
        <translation>%1 laden</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="191"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <location filename="../qml/components/MessageBubble.qml" line="43"/>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageBubble.qml" line="44"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageBubble.qml" line="45"/>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageBubble.qml" line="46"/>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageBubble.qml" line="47"/>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageBubble.qml" line="50"/>
        <source>You</source>
        <translation>Du</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageBubble.qml" line="78"/>
        <source>This message could not be decrypted yet; the sender was asked to send it again.</source>
        <translation>Diese Nachricht konnte noch nicht entschlüsselt werden; der Absender wurde gebeten, sie erneut zu senden.</translation>
    </message>
</context>
<context>
    <name>MessageDetails</name>
    <message>
        <location filename="../qml/components/MessageDetails.qml" line="34"/>
        <source>Message details</source>
        <translation>Nachrichtendetails</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageDetails.qml" line="46"/>
        <source>%1 — read at %2</source>
        <translation>%1 – gelesen um %2</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageDetails.qml" line="47"/>
        <source>%1 — delivered at %2</source>
        <translation>%1 – zugestellt um %2</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageDetails.qml" line="48"/>
        <source>%1 — not delivered yet</source>
        <translation>%1 – noch nicht zugestellt</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageDetails.qml" line="55"/>
        <source>The ticks on the message say how far it got.</source>
        <translation>Die Häkchen an der Nachricht zeigen, wie weit sie gekommen ist.</translation>
    </message>
    <message>
        <location filename="../qml/components/MessageDetails.qml" line="61"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <location filename="../qml/pages/NewChatDialog.qml" line="13"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewChatDialog.qml" line="22"/>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewChatDialog.qml" line="29"/>
        <source>e.g. alice</source>
        <translation>z. B. alice</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewChatDialog.qml" line="30"/>
        <source>Username to write to</source>
        <translation>Benutzername des Empfängers</translation>
    </message>
</context>
<context>
    <name>NewGroupDialog</name>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="15"/>
        <source>New group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="30"/>
        <location filename="../qml/pages/NewGroupDialog.qml" line="36"/>
        <source>Group name</source>
        <translation>Gruppenname</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="35"/>
        <source>e.g. Weekend trip</source>
        <translation>z. B. Wochenendausflug</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="39"/>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="44"/>
        <source>Usernames, separated by commas</source>
        <translation>Benutzernamen, durch Kommas getrennt</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="45"/>
        <source>Usernames of the members, separated by commas</source>
        <translation>Benutzernamen der Mitglieder, durch Kommas getrennt</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="61"/>
        <source>Create</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="64"/>
        <source>Create the group</source>
        <translation>Die Gruppe erstellen</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewGroupDialog.qml" line="68"/>
        <location filename="../qml/pages/NewGroupDialog.qml" line="69"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>QuickSwitcher</name>
    <message>
        <location filename="../qml/pages/QuickSwitcher.qml" line="14"/>
        <source>Find a conversation</source>
        <translation>Unterhaltung suchen</translation>
    </message>
    <message>
        <location filename="../qml/pages/QuickSwitcher.qml" line="45"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../qml/pages/QuickSwitcher.qml" line="46"/>
        <source>Name of the conversation to open</source>
        <translation>Name der zu öffnenden Unterhaltung</translation>
    </message>
    <message>
        <location filename="../qml/pages/QuickSwitcher.qml" line="60"/>
        <source>Matching conversations</source>
        <translation>Passende Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/QuickSwitcher.qml" line="73"/>
        <source>No conversation matches.</source>
        <translation>Keine Unterhaltung passt.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="15"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="37"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="39"/>
        <location filename="../qml/pages/SettingsDialog.qml" line="45"/>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="43"/>
        <location filename="../qml/pages/SettingsDialog.qml" line="54"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="43"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="43"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="50"/>
        <location filename="../qml/pages/SettingsDialog.qml" line="56"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="61"/>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="64"/>
        <location filename="../qml/pages/SettingsDialog.qml" line="66"/>
        <source>Notify me of new messages</source>
        <translation>Bei neuen Nachrichten benachrichtigen</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="72"/>
        <location filename="../qml/pages/SettingsDialog.qml" line="74"/>
        <source>Show the message text in notifications</source>
        <translation>Den Nachrichtentext in Benachrichtigungen zeigen</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="78"/>
        <source>Privacy</source>
        <translation>Privatsphäre</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="81"/>
        <location filename="../qml/pages/SettingsDialog.qml" line="90"/>
        <source>Who sees when I am online and last seen</source>
        <translation>Wer sieht, wann ich online und zuletzt online war</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="88"/>
        <source>Everyone</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="88"/>
        <source>My contacts</source>
        <translation>Meine Kontakte</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="88"/>
        <source>Nobody</source>
        <translation>Niemand</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="96"/>
        <location filename="../qml/pages/SettingsDialog.qml" line="98"/>
        <source>Send read receipts</source>
        <translation>Lesebestätigungen senden</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="103"/>
        <source>Without read receipts you do not see when others read your messages either.</source>
        <translation>Ohne Lesebestätigungen siehst du auch nicht, wann andere deine Nachrichten lesen.</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="108"/>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="120"/>
        <source>%1 (this device)</source>
        <translation>%1 (dieses Gerät)</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="128"/>
        <source>Last active %1</source>
        <translation>Zuletzt aktiv %1</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="135"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../qml/pages/SettingsDialog.qml" line="136"/>
        <source>Remove the device %1</source>
        <translation>Das Gerät %1 entfernen</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="46"/>
        <source>ChatterMesh</source>
        <translation>ChatterMesh</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="54"/>
        <source>End-to-end encrypted chat</source>
        <translation>Ende-zu-Ende-verschlüsselter Chat</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="69"/>
        <location filename="../qml/pages/SignInPage.qml" line="142"/>
        <source>Create account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="74"/>
        <location filename="../qml/pages/SignInPage.qml" line="142"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="84"/>
        <source>Server address (ws://host:port)</source>
        <translation>Serveradresse (ws://host:port)</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="89"/>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="97"/>
        <location filename="../qml/pages/SignInPage.qml" line="100"/>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="108"/>
        <source>Password (at least 8 characters)</source>
        <translation>Passwort (mindestens 8 Zeichen)</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="111"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="120"/>
        <source>Passphrase for this device&apos;s encrypted store</source>
        <translation>Passphrase für den verschlüsselten Speicher dieses Geräts</translation>
    </message>
    <message>
        <location filename="../qml/pages/SignInPage.qml" line="123"/>
        <source>Store passphrase</source>
        <translation>Speicher-Passphrase</translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::ChatModel</name>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="404"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="406"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="411"/>
        <source>last seen today at %1</source>
        <translation>zuletzt online heute um %1</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="413"/>
        <source>last seen yesterday at %1</source>
        <translation>zuletzt online gestern um %1</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="414"/>
        <source>last seen %1 at %2</source>
        <translation>zuletzt online am %1 um %2</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="430"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="432"/>
        <location filename="../qml/models/ChatModel.cpp" line="456"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::ConversationDetails</name>
    <message>
        <location filename="../qml/controllers/ConversationDetails.cpp" line="207"/>
        <source>Not connected. Try again when online.</source>
        <translation>Nicht verbunden. Versuch es erneut, wenn du online bist.</translation>
    </message>
    <message>
        <location filename="../qml/controllers/ConversationDetails.cpp" line="272"/>
        <source>A group needs a name and at least one other member.</source>
        <translation>Eine Gruppe braucht einen Namen und mindestens ein weiteres Mitglied.</translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::ConversationListModel</name>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="139"/>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="186"/>
        <source>Voice note</source>
        <translation>Sprachnachricht</translation>
    </message>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="187"/>
        <source>Voice note (%1)</source>
        <translation>Sprachnachricht (%1)</translation>
    </message>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="223"/>
        <source>typing…</source>
        <translation>schreibt …</translation>
    </message>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="225"/>
        <source>%1 is typing…</source>
        <translation>%1 schreibt …</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/models/ConversationListModel.cpp" line="226"/>
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n Person schreibt …</numerusform>
            <numerusform>%n Personen schreiben …</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::MediaPlayback</name>
    <message>
        <location filename="../qml/controllers/MediaPlayback.cpp" line="89"/>
        <source>This attachment cannot be played here.</source>
        <translation>Dieser Anhang lässt sich hier nicht abspielen.</translation>
    </message>
    <message>
        <location filename="../qml/controllers/MediaPlayback.cpp" line="128"/>
        <source>Nothing to play.</source>
        <translation>Nichts abzuspielen.</translation>
    </message>
    <message>
        <location filename="../qml/controllers/MediaPlayback.cpp" line="153"/>
        <source>The attachment is not here yet.</source>
        <translation>Der Anhang ist noch nicht da.</translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::Notifier</name>
    <message>
        <location filename="../qml/controllers/Notifier.cpp" line="88"/>
        <source>New message</source>
        <translation>Neue Nachricht</translation>
    </message>
    <message>
        <location filename="../qml/controllers/Notifier.cpp" line="104"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/controllers/Notifier.cpp" line="141"/>
        <source>ChatterMesh: %n unread</source>
        <translation>
            <numerusform>ChatterMesh: %n ungelesen</numerusform>
            <numerusform>ChatterMesh: %n ungelesen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::SessionController</name>
    <message>
        <location filename="../qml/SessionController.cpp" line="72"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="74"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="76"/>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="78"/>
        <source>Signing in…</source>
        <translation>Melde an …</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="80"/>
        <source>Catching up…</source>
        <translation>Hole Nachrichten nach …</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="82"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="133"/>
        <source>Enter the passphrase that protects this device&apos;s messages.</source>
        <translation>Gib die Passphrase ein, die die Nachrichten dieses Geräts schützt.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="168"/>
        <source>Wrong username or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="171"/>
        <source>That username is taken.</source>
        <translation>Dieser Benutzername ist vergeben.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="175"/>
        <source>Your session ended. Please sign in again.</source>
        <translation>Deine Sitzung ist abgelaufen. Bitte melde dich erneut an.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="178"/>
        <source>Too many failed attempts. Wait a little, then try again.</source>
        <translation>Zu viele Fehlversuche. Warte etwas und versuche es dann erneut.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="187"/>
        <source>Not connecting to the server: %1</source>
        <translation>Keine Verbindung zum Server: %1</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="199"/>
        <source>Wrong passphrase: this device&apos;s messages stay locked.</source>
        <translation>Falsche Passphrase: Die Nachrichten dieses Geräts bleiben gesperrt.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="211"/>
        <source>Enter a username and a password.</source>
        <translation>Gib einen Benutzernamen und ein Passwort ein.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="216"/>
        <source>Unlock this device first.</source>
        <translation>Entsperre zuerst dieses Gerät.</translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::VoiceRecorder</name>
    <message>
        <location filename="../qml/controllers/VoiceRecorder.cpp" line="156"/>
        <source>No microphone was found.</source>
        <translation>Es wurde kein Mikrofon gefunden.</translation>
    </message>
    <message>
        <location filename="../qml/controllers/VoiceRecorder.cpp" line="158"/>
        <source>Voice notes cannot be recorded here: no Opus or Vorbis encoder is installed.</source>
        <translation>Sprachnachrichten können hier nicht aufgenommen werden: Es ist kein Opus- oder Vorbis-Encoder installiert.</translation>
    </message>
    <message>
        <location filename="../qml/controllers/VoiceRecorder.cpp" line="160"/>
        <source>The voice note could not be saved.</source>
        <translation>Die Sprachnachricht konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <location filename="../qml/controllers/VoiceRecorder.cpp" line="162"/>
        <source>The recording stopped unexpectedly.</source>
        <translation>Die Aufnahme wurde unerwartet beendet.</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="34"/>
        <source>Back to conversations</source>
        <translation>Zurück zu den Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="78"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location filename="../qml/pages/ChatPane.qml" line="103"/>
        <source>Jump to the latest message</source>
        <translation>Zur neuesten Nachricht springen</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../qml/components/Composer.qml" line="38"/>
        <location filename="../qml/components/Composer.qml" line="41"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="64"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../qml/components/Composer.qml" line="68"/>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
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
        <location filename="../qml/components/ConversationDelegate.qml" line="27"/>
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n ungelesen</numerusform>
            <numerusform>%1, %n ungelesen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationListPane</name>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="36"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="42"/>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="43"/>
        <location filename="../qml/pages/ConversationListPane.qml" line="49"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="44"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="45"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="48"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="61"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="63"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Neuer Chat (Strg+N)</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="76"/>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../qml/pages/ConversationListPane.qml" line="88"/>
        <source>No conversations yet. Start one with “New chat”.</source>
        <translation>Noch keine Unterhaltungen. Beginne eine mit „Neuer Chat“.</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../qml/pages/HomePage.qml" line="71"/>
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
        <location filename="../qml/components/MediaContent.qml" line="37"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="39"/>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="40"/>
        <source>%1 bytes</source>
        <translation>%1 Byte</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="121"/>
        <source>Sending attachment</source>
        <translation>Anhang wird gesendet</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="121"/>
        <source>Downloading attachment</source>
        <translation>Anhang wird geladen</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="126"/>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="127"/>
        <source>Download %1</source>
        <translation>%1 laden</translation>
    </message>
    <message>
        <location filename="../qml/components/MediaContent.qml" line="138"/>
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
        <location filename="../qml/pages/NewChatDialog.qml" line="30"/>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewChatDialog.qml" line="37"/>
        <source>e.g. alice</source>
        <translation>z. B. alice</translation>
    </message>
    <message>
        <location filename="../qml/pages/NewChatDialog.qml" line="38"/>
        <source>Username to write to</source>
        <translation>Benutzername des Empfängers</translation>
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
        <location filename="../qml/models/ChatModel.cpp" line="371"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="373"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="378"/>
        <source>last seen today at %1</source>
        <translation>zuletzt online heute um %1</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="380"/>
        <source>last seen yesterday at %1</source>
        <translation>zuletzt online gestern um %1</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="381"/>
        <source>last seen %1 at %2</source>
        <translation>zuletzt online am %1 um %2</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="397"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../qml/models/ChatModel.cpp" line="399"/>
        <location filename="../qml/models/ChatModel.cpp" line="423"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::ConversationListModel</name>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="132"/>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="199"/>
        <source>typing…</source>
        <translation>schreibt …</translation>
    </message>
    <message>
        <location filename="../qml/models/ConversationListModel.cpp" line="201"/>
        <source>%1 is typing…</source>
        <translation>%1 schreibt …</translation>
    </message>
    <message numerus="yes">
        <location filename="../qml/models/ConversationListModel.cpp" line="202"/>
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n Person schreibt …</numerusform>
            <numerusform>%n Personen schreiben …</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>chattermesh::qml::SessionController</name>
    <message>
        <location filename="../qml/SessionController.cpp" line="71"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="73"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="75"/>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="77"/>
        <source>Signing in…</source>
        <translation>Melde an …</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="79"/>
        <source>Catching up…</source>
        <translation>Hole Nachrichten nach …</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="81"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="132"/>
        <source>Enter the passphrase that protects this device&apos;s messages.</source>
        <translation>Gib die Passphrase ein, die die Nachrichten dieses Geräts schützt.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="159"/>
        <source>Wrong username or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="162"/>
        <source>That username is taken.</source>
        <translation>Dieser Benutzername ist vergeben.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="166"/>
        <source>Your session ended. Please sign in again.</source>
        <translation>Deine Sitzung ist abgelaufen. Bitte melde dich erneut an.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="169"/>
        <source>Too many failed attempts. Wait a little, then try again.</source>
        <translation>Zu viele Fehlversuche. Warte etwas und versuche es dann erneut.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="186"/>
        <source>Wrong passphrase: this device&apos;s messages stay locked.</source>
        <translation>Falsche Passphrase: Die Nachrichten dieses Geräts bleiben gesperrt.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="197"/>
        <source>Enter a username and a password.</source>
        <translation>Gib einen Benutzernamen und ein Passwort ein.</translation>
    </message>
    <message>
        <location filename="../qml/SessionController.cpp" line="202"/>
        <source>Unlock this device first.</source>
        <translation>Entsperre zuerst dieses Gerät.</translation>
    </message>
</context>
</TS>

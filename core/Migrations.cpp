// SPDX-License-Identifier: GPL-3.0-or-later
#include "Migrations.h"

#include <array>

namespace chattermesh::core {

namespace {

struct Migration {
    int version;
    const char *sql;
};

// Never edit a shipped step: add a new one.
constexpr std::array kMigrations {
    Migration { 1, R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE conversations(
  local_id INTEGER PRIMARY KEY,
  server_id INTEGER UNIQUE,
  peer TEXT UNIQUE,
  members TEXT NOT NULL DEFAULT '',
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_activity_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE messages(
  local_id INTEGER PRIMARY KEY AUTOINCREMENT,
  conv INTEGER NOT NULL REFERENCES conversations(local_id),
  seq INTEGER,
  client_msg_id BLOB NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  sender_device INTEGER NOT NULL DEFAULT 0,
  outgoing INTEGER NOT NULL,
  state INTEGER NOT NULL,
  body TEXT NOT NULL,
  client_time_ms INTEGER NOT NULL DEFAULT 0,
  server_time_ms INTEGER NOT NULL DEFAULT 0,
  error TEXT);
CREATE INDEX messages_conv_seq ON messages(conv, seq);
CREATE TABLE outbox(
  local_id INTEGER PRIMARY KEY REFERENCES messages(local_id),
  attempts INTEGER NOT NULL DEFAULT 0);
)sql" },
    // End-to-end encryption: libsignal's stores, the identity keys we trust per peer device, the
    // per-peer verified/blocked flags, the serialized Content of each message, and the sealed Send
    // (per-device ciphertexts) of each outbox row, so a retry resends the same bytes; the devices a
    // message was encrypted for, the only ones whose retry requests are answered; and the retry
    // requests still to answer, which survive a lost connection or a restart like the outbox.
    Migration { 2, R"sql(
CREATE TABLE crypto_kv(
  kind INTEGER NOT NULL,
  key BLOB NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY(kind, key));
CREATE TABLE peer_keys(
  username TEXT NOT NULL,
  device_id INTEGER NOT NULL,
  identity_key BLOB NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  PRIMARY KEY(username, device_id));
CREATE TABLE peers(
  username TEXT PRIMARY KEY,
  verified INTEGER NOT NULL DEFAULT 0,
  blocked INTEGER NOT NULL DEFAULT 0);
ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN content BLOB;
ALTER TABLE outbox ADD COLUMN sealed BLOB;
ALTER TABLE messages ADD COLUMN recipients TEXT;
CREATE TABLE answers(
  asker TEXT NOT NULL,
  device INTEGER NOT NULL,
  client_msg_id BLOB NOT NULL,
  answer_id BLOB NOT NULL,
  PRIMARY KEY(asker, device, client_msg_id));
)sql" },
    // Groups, receipts and read markers. A group conversation has no peer; its members and roles
    // mirror the last system event. `rekey`: a member left, so my sender key is replaced before my
    // next message; `sender_key_holders`: the devices my current sender key was sent to. Receipts
    // per recipient (groups: "read by N of M"), every member's read marker, and my own marker with
    // the part of it the server has confirmed (so a marker set offline is sent after a restart).
    Migration { 3, R"sql(
ALTER TABLE conversations ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN only_admins_send INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN is_member INTEGER NOT NULL DEFAULT 1;
ALTER TABLE conversations ADD COLUMN rekey INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN read_sent_seq INTEGER NOT NULL DEFAULT 0;
CREATE TABLE group_members(
  conv INTEGER NOT NULL,
  username TEXT NOT NULL,
  role INTEGER NOT NULL,
  PRIMARY KEY(conv, username));
CREATE TABLE sender_key_holders(
  conv INTEGER NOT NULL,
  device INTEGER NOT NULL,
  PRIMARY KEY(conv, device));
CREATE TABLE receipts(
  message INTEGER NOT NULL,
  username TEXT NOT NULL,
  delivered_ms INTEGER,
  read_ms INTEGER,
  PRIMARY KEY(message, username));
CREATE TABLE member_reads(
  conv INTEGER NOT NULL,
  username TEXT NOT NULL,
  read_seq INTEGER NOT NULL,
  read_ms INTEGER NOT NULL,
  PRIMARY KEY(conv, username));
)sql" },
    // Shared media: where each attachment's bytes are (docs/media.md). The attachment itself (asset
    // id, key, digest, thumbnail) lives in the message's content, inside this encrypted file.
    Migration { 4, R"sql(
CREATE TABLE transfers(
  message INTEGER PRIMARY KEY,
  upload INTEGER NOT NULL,
  state INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  file TEXT NOT NULL DEFAULT '',
  asset_id TEXT NOT NULL DEFAULT '',
  error INTEGER NOT NULL DEFAULT 0,
  error_text TEXT NOT NULL DEFAULT '',
  updated_ms INTEGER NOT NULL DEFAULT 0);
)sql" },
    // Unsent composer text per conversation, kept across restarts, and the muted conversations
    // (core/DraftStore.h). Both name a conversation the way the UI does.
    Migration { 5, R"sql(
CREATE TABLE drafts(
  conversation TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  updated_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE muted(conversation TEXT PRIMARY KEY);
)sql" },
    // Trust on first use (docs/operations.md, *TLS*): the key each server showed the first time.
    Migration { 6, R"sql(
CREATE TABLE tls_pins(
  endpoint TEXT PRIMARY KEY,
  spki_sha256 TEXT NOT NULL,
  pinned_ms INTEGER NOT NULL);
)sql" },
};

} // namespace

int latestSchemaVersion()
{
    return kMigrations.back().version;
}

StoreResult<int> migrate(SqlDatabase &db)
{
    auto &q = db.prepared("PRAGMA user_version");
    if (!q.step())
        return db.failure("read user_version");
    const int current = int(q.int64(0));
    q.reset();
    if (current > latestSchemaVersion())
        return StoreFailure { StoreError::TooNew,
            QStringLiteral("store schema %1 is newer than this build (%2)")
                .arg(current)
                .arg(latestSchemaVersion()) };
    for (const Migration &m : kMigrations) {
        if (m.version <= current)
            continue;
        Transaction tx(db);
        if (auto r = db.exec(m.sql); !r)
            return r.error();
        const QByteArray setVersion = "PRAGMA user_version = " + QByteArray::number(m.version);
        if (auto r = db.exec(setVersion.constData()); !r)
            return r.error();
        if (auto r = tx.commit(); !r)
            return r.error();
    }
    return latestSchemaVersion();
}

} // namespace chattermesh::core

// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteSchema.h"

#include "ServerLog.h"
#include "SqliteDatabase.h"

#include <iterator>

namespace chattermesh::server {

namespace {

struct Migration {
    int version;
    const char *sql;
};

// Append only: a shipped migration is never edited, a change is a new entry.
const Migration kMigrations[] = {
    { 1, R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  username TEXT UNIQUE NOT NULL,
  pw_salt BLOB,
  pw_hash BLOB,
  pw_iterations INT,
  created_ms INT);
CREATE TABLE devices(
  id INTEGER PRIMARY KEY,
  user_id INT,
  name TEXT,
  created_ms INT,
  last_seen_ms INT,
  next_inbox_seq INT NOT NULL DEFAULT 1,
  removed INT DEFAULT 0);
CREATE INDEX devices_by_user ON devices(user_id);
CREATE TABLE tokens(
  hash BLOB PRIMARY KEY,
  device_id INT,
  expires_ms INT);
CREATE INDEX tokens_by_device ON tokens(device_id);
CREATE TABLE conversations(
  id INTEGER PRIMARY KEY,
  kind INT,
  user_a INT,
  user_b INT,
  next_seq INT NOT NULL DEFAULT 1,
  UNIQUE(user_a, user_b));
CREATE TABLE members(
  conversation_id INT,
  user_id INT,
  PRIMARY KEY(conversation_id, user_id));
CREATE TABLE messages(
  conversation_id INT,
  seq INT,
  sender_user INT,
  sender_device INT,
  client_msg_id BLOB,
  server_time_ms INT,
  payload BLOB,
  PRIMARY KEY(conversation_id, seq));
CREATE UNIQUE INDEX messages_dedupe ON messages(sender_device, client_msg_id);
CREATE TABLE mailbox(
  device_id INT,
  inbox_seq INT,
  kind INT,
  conversation_id INT,
  seq INT,
  receipt_by_user INT,
  receipt_time_ms INT,
  PRIMARY KEY(device_id, inbox_seq));
CREATE TABLE receipts(
  conversation_id INT,
  seq INT,
  user_id INT,
  status INT,
  PRIMARY KEY(conversation_id, seq, user_id));
)sql" },
    { 2, R"sql(
CREATE TABLE device_keys(
  device_id INTEGER PRIMARY KEY,
  identity_key BLOB NOT NULL,
  registration_id INT NOT NULL,
  spk_id INT NOT NULL,
  spk_public BLOB NOT NULL,
  spk_signature BLOB NOT NULL,
  spk_created_ms INT NOT NULL);
CREATE TABLE one_time_prekeys(
  device_id INT,
  key_id INT,
  public_key BLOB NOT NULL,
  PRIMARY KEY(device_id, key_id));
CREATE TABLE message_payloads(
  conversation_id INT,
  seq INT,
  device_id INT,
  type INT,
  ciphertext BLOB,
  PRIMARY KEY(conversation_id, seq, device_id));
)sql" },
    { 3, R"sql(
CREATE TABLE resends(
  sender_device INT,
  client_msg_id BLOB,
  PRIMARY KEY(sender_device, client_msg_id));
)sql" },
    // Groups, sender-key sends, read markers, presence and privacy settings. Conversation kinds
    // become 0 direct / 1 group (every existing row is a 1:1, stored as 1 before).
    { 4, R"sql(
UPDATE conversations SET kind = 0;
ALTER TABLE conversations ADD COLUMN title TEXT;
ALTER TABLE conversations ADD COLUMN only_admins_send INT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN role INT NOT NULL DEFAULT 1;
ALTER TABLE members ADD COLUMN last_read_seq INT NOT NULL DEFAULT 0;
CREATE INDEX members_by_user ON members(user_id);
ALTER TABLE messages ADD COLUMN payload_type INT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN event BLOB;
ALTER TABLE mailbox ADD COLUMN receipt_status INT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN last_seen_ms INT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN presence_visibility INT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN read_receipts_off INT NOT NULL DEFAULT 0;
CREATE TABLE key_distributions(
  conversation_id INT,
  seq INT,
  device_id INT,
  type INT,
  ciphertext BLOB,
  PRIMARY KEY(conversation_id, seq, device_id));
)sql" },
    // The asset service's metadata (docs/media.md). Written by the asset thread's own connection,
    // never by the Store's writer. Times are epoch ms; 0 means "not yet".
    { 5, R"sql(
CREATE TABLE assets(
  id TEXT PRIMARY KEY,
  owner_user INT NOT NULL,
  owner_device INT NOT NULL,
  kind TEXT NOT NULL,
  size INT NOT NULL,
  received INT NOT NULL DEFAULT 0,
  digest BLOB,
  created_ms INT NOT NULL,
  active_ms INT NOT NULL,
  finished_ms INT NOT NULL DEFAULT 0,
  referenced_ms INT NOT NULL DEFAULT 0);
)sql" },
};

int userVersion(SqliteDatabase &db)
{
    SqliteStatement statement = db.prepare("PRAGMA user_version");
    return statement.nextRow() ? int(statement.int64(0)) : -1;
}

} // namespace

int SqliteSchema::latestVersion()
{
    return std::prev(std::end(kMigrations))->version;
}

bool SqliteSchema::migrate(SqliteDatabase &db, QString *error)
{
    const int current = userVersion(db);
    if (current < 0) {
        *error = QStringLiteral("cannot read user_version: %1").arg(db.lastError());
        return false;
    }
    if (current > latestVersion()) {
        *error = QStringLiteral("database schema %1 is newer than this server (%2)")
                     .arg(current)
                     .arg(latestVersion());
        return false;
    }
    for (const Migration &migration : kMigrations) {
        if (migration.version <= current)
            continue;
        const QByteArray bump
            = QByteArrayLiteral("PRAGMA user_version = ") + QByteArray::number(migration.version);
        if (!db.exec("BEGIN IMMEDIATE")) {
            *error = db.lastError();
            return false;
        }
        if (!db.exec(migration.sql) || !db.exec(bump.constData()) || !db.exec("COMMIT")) {
            *error = QStringLiteral("migration %1 failed: %2").arg(migration.version).arg(db.lastError());
            db.exec("ROLLBACK");
            return false;
        }
        qCInfo(lcServer) << "database schema migrated to version" << migration.version;
    }
    return true;
}

} // namespace chattermesh::server

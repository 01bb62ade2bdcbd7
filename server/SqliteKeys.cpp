// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteKeys.h"

#include "ServerLog.h"
#include "SqliteDatabase.h"

using namespace Qt::StringLiterals;

namespace chattermesh::server {

namespace {

Failure<proto::ErrorCode> fail(proto::ErrorCode code, const QString &message)
{
    return Failure<proto::ErrorCode> { code, message };
}

Failure<proto::ErrorCode> internal(const char *what)
{
    qCWarning(lcServer) << "key store failure:" << what;
    return fail(proto::INTERNAL, u"storage failure"_s);
}

// Serialized Curve25519 public keys are 33 bytes (type byte + 32); signatures 64.
bool plausibleKey(const std::string &k)
{
    return k.size() == 33;
}

} // namespace

StoreResult<quint32> SqliteKeys::upload(quint64 deviceId, const proto::UploadKeys &keys)
{
    if (keys.one_time_pre_keys_size() > kMaxUpload)
        return fail(proto::INVALID_ARGUMENT, u"at most %1 one-time prekeys per upload"_s.arg(kMaxUpload));
    SqliteStatement current = m_db.prepare("SELECT identity_key FROM device_keys WHERE device_id = ?");
    const bool known = current.bindInt(1, qint64(deviceId)).nextRow();
    if (current.failed())
        return internal("identity lookup");
    if (known) {
        if (!keys.identity_key().empty() && current.blobString(0) != keys.identity_key())
            return fail(proto::INVALID_ARGUMENT,
                u"a device's identity key never changes; sign in as a new device instead"_s);
    } else if (!plausibleKey(keys.identity_key()) || !keys.has_signed_pre_key()) {
        return fail(proto::INVALID_ARGUMENT, u"the first upload needs an identity key and a signed prekey"_s);
    }
    // Everything is checked before the first write: a failure after writing would cost the whole
    // store batch a replay (Store::runBatch), and the client could ask for that at will.
    if (keys.has_signed_pre_key()
        && (!plausibleKey(keys.signed_pre_key().public_key())
            || keys.signed_pre_key().signature().size() != 64))
        return fail(proto::INVALID_ARGUMENT, u"malformed signed prekey"_s);
    for (const proto::OneTimePreKey &k : keys.one_time_pre_keys())
        if (!plausibleKey(k.public_key()))
            return fail(proto::INVALID_ARGUMENT, u"malformed one-time prekey %1"_s.arg(k.id()));
    if (keys.has_signed_pre_key()) {
        const proto::SignedPreKey &spk = keys.signed_pre_key();
        SqliteStatement put = m_db.prepare(known
                ? "UPDATE device_keys SET spk_id = ?2, spk_public = ?3, spk_signature = ?4, spk_created_ms = "
                  "?5, "
                  "registration_id = CASE WHEN ?6 > 0 THEN ?6 ELSE registration_id END WHERE device_id = ?1"
                : "INSERT INTO device_keys(device_id, spk_id, spk_public, spk_signature, spk_created_ms, "
                  "registration_id, identity_key) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        put.bindInt(1, qint64(deviceId)).bindInt(2, spk.id()).bindBlob(3, spk.public_key());
        put.bindBlob(4, spk.signature()).bindInt(5, spk.created_ms()).bindInt(6, keys.registration_id());
        if (!known)
            put.bindBlob(7, keys.identity_key());
        if (!put.run())
            return internal("signed prekey write");
    }
    for (const proto::OneTimePreKey &k : keys.one_time_pre_keys()) {
        SqliteStatement put = m_db.prepare(
            "INSERT OR REPLACE INTO one_time_prekeys(device_id, key_id, public_key) VALUES(?, ?, ?)");
        if (!put.bindInt(1, qint64(deviceId)).bindInt(2, k.id()).bindBlob(3, k.public_key()).run())
            return internal("one-time prekey write");
    }
    return stock(deviceId);
}

StoreResult<quint32> SqliteKeys::stock(quint64 deviceId)
{
    SqliteStatement count = m_db.prepare("SELECT count(*) FROM one_time_prekeys WHERE device_id = ?");
    if (!count.bindInt(1, qint64(deviceId)).nextRow())
        return internal("prekey count");
    return quint32(count.int64(0));
}

std::optional<std::vector<quint64>> SqliteKeys::keyedDevicesOf(quint64 userId)
{
    SqliteStatement select
        = m_db.prepare("SELECT d.id FROM devices d JOIN device_keys k ON k.device_id = d.id "
                       "WHERE d.user_id = ? AND d.removed = 0 ORDER BY d.id");
    select.bindInt(1, qint64(userId));
    std::vector<quint64> out;
    while (select.nextRow())
        out.push_back(quint64(select.int64(0)));
    if (select.failed())
        return std::nullopt;
    return out;
}

StoreResult<BundleFetch> SqliteKeys::fetch(quint64 requesterDevice, const QString &username)
{
    SqliteStatement user = m_db.prepare("SELECT id FROM users WHERE username = ?");
    if (!user.bindText(1, username).nextRow())
        return user.failed() ? internal("user lookup") : fail(proto::USER_NOT_FOUND, u"no such user"_s);
    const quint64 userId = quint64(user.int64(0));
    const auto devices = keyedDevicesOf(userId);
    if (!devices)
        return internal("device lookup");
    BundleFetch out;
    out.bundles.set_username(username.toStdString());
    for (quint64 device : *devices) {
        if (device == requesterDevice)
            continue;
        SqliteStatement keys
            = m_db.prepare("SELECT registration_id, identity_key, spk_id, spk_public, spk_signature, "
                           "spk_created_ms FROM device_keys WHERE device_id = ?");
        if (!keys.bindInt(1, qint64(device)).nextRow())
            return internal("bundle read");
        proto::DeviceBundle *b = out.bundles.add_devices();
        b->set_device_id(device);
        b->set_registration_id(quint32(keys.int64(0)));
        b->set_identity_key(keys.blobString(1));
        b->mutable_signed_pre_key()->set_id(quint32(keys.int64(2)));
        b->mutable_signed_pre_key()->set_public_key(keys.blobString(3));
        b->mutable_signed_pre_key()->set_signature(keys.blobString(4));
        b->mutable_signed_pre_key()->set_created_ms(keys.int64(5));
        // Handed out once: read and delete in the same writer-thread job.
        SqliteStatement pop = m_db.prepare(
            "SELECT key_id, public_key FROM one_time_prekeys WHERE device_id = ? ORDER BY key_id LIMIT 1");
        if (pop.bindInt(1, qint64(device)).nextRow()) {
            const qint64 keyId = pop.int64(0);
            b->mutable_one_time_pre_key()->set_id(quint32(keyId));
            b->mutable_one_time_pre_key()->set_public_key(pop.blobString(1));
            SqliteStatement del
                = m_db.prepare("DELETE FROM one_time_prekeys WHERE device_id = ? AND key_id = ?");
            if (!del.bindInt(1, qint64(device)).bindInt(2, keyId).run())
                return internal("prekey pop");
            const auto left = stock(device);
            if (!left)
                return left.error();
            if (left.value() < kLowStock)
                out.lowStock.emplace_back(device, left.value());
        } else if (pop.failed()) {
            return internal("prekey read");
        } else {
            out.lowStock.emplace_back(device, 0u);
        }
    }
    if (out.bundles.devices_size() == 0 && requesterDevice != 0) {
        // The requester's own other devices may legitimately be none; another user without keys is not.
        SqliteStatement self = m_db.prepare("SELECT 1 FROM devices WHERE id = ? AND user_id = ?");
        if (!self.bindInt(1, qint64(requesterDevice)).bindInt(2, qint64(userId)).nextRow())
            return fail(proto::NO_KEYS, u"%1 has no device with end-to-end keys yet"_s.arg(username));
    }
    return out;
}

} // namespace chattermesh::server

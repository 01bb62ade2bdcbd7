// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

namespace chattermesh::app {

// Finds the raw key of the local store in the OS keychain, or creates one for a new store.
// Where no keychain answers (headless Linux, CI) it says so and the app asks for a passphrase.
class StoreKeychain : public QObject {
    Q_OBJECT
public:
    StoreKeychain(QString profile, bool storeExists, QObject *parent = nullptr);
    void fetch();

Q_SIGNALS:
    void keyReady(const QByteArray &rawKey);
    void unavailable(const QString &why);

private:
    void create();

    QString m_entry;
    bool m_storeExists;
};

} // namespace chattermesh::app

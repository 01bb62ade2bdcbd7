// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreKeychain.h"

#include "DbKey.h"

#include <qt6keychain/keychain.h>

namespace chattermesh::app {

namespace {
const QString kService = QStringLiteral("ChatterMesh");
}

StoreKeychain::StoreKeychain(QString profile, bool storeExists, QObject *parent)
    : QObject(parent), m_entry(QStringLiteral("store-key:") + profile), m_storeExists(storeExists)
{ }

void StoreKeychain::fetch()
{
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setKey(m_entry);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        job->deleteLater();
        if (job->error() == QKeychain::NoError) {
            const QByteArray key = job->binaryData();
            if (key.size() == 32)
                Q_EMIT keyReady(key);
            else
                Q_EMIT unavailable(tr("The keychain entry for this store is damaged."));
        } else if (job->error() == QKeychain::EntryNotFound && !m_storeExists) {
            create();
        } else {
            Q_EMIT unavailable(job->errorString());
        }
    });
    job->start();
}

void StoreKeychain::create()
{
    const QByteArray key = core::DbKey::generateRaw();
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(m_entry);
    job->setBinaryData(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        job->deleteLater();
        if (job->error() == QKeychain::NoError)
            Q_EMIT keyReady(key);
        else
            Q_EMIT unavailable(job->errorString());
    });
    job->start();
}

} // namespace chattermesh::app

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace chattermesh::test {

// A real capture device for headless tests: a private PulseAudio daemon (its own runtime dir and
// socket, nothing shared with the machine) with a null sink that a 440 Hz sine plays into, and the
// sink's monitor exposed as an ordinary source, "ChatterMeshTestMic", which is also the default
// input. Qt lists monitors of sinks as no input at all, and GStreamer's pulsesrc stalls on
// module-sine-source, hence the detour. start() points this process at it (PULSE_SERVER), so it
// must run before Qt Multimedia is first used.
class TestMicrophone {
public:
    TestMicrophone() = default;
    ~TestMicrophone();
    TestMicrophone(const TestMicrophone &) = delete;
    TestMicrophone &operator=(const TestMicrophone &) = delete;

    // Empty on success, otherwise why the daemon did not come up.
    QString start();
    void stop();

    static QByteArray sourceId() { return QByteArrayLiteral("cm_mic"); }
    static QString description() { return QStringLiteral("ChatterMeshTestMic"); }

private:
    QString socketPath() const { return m_dir.filePath(QStringLiteral("native")); }

    QTemporaryDir m_dir;
    QProcess m_pulse;
};

} // namespace chattermesh::test

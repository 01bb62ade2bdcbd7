// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestMicrophone.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTest>
#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace chattermesh::test {

namespace {

constexpr int kStartMs = 20'000;

} // namespace

TestMicrophone::~TestMicrophone()
{
    stop();
}

QString TestMicrophone::start()
{
    const QString binary = QStringLiteral(CHATTERMESH_PULSEAUDIO_BIN);
    if (binary.isEmpty() || binary.endsWith(u"NOTFOUND"_s))
        return u"pulseaudio is not installed: run scripts/deps (it provides the test's capture device)"_s;
    if (!m_dir.isValid())
        return u"no temporary directory"_s;
    const QString runtime = m_dir.filePath(u"run"_s);
    if (!QDir().mkpath(runtime)
        || !QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
        return u"cannot prepare %1"_s.arg(runtime);

    // A script rather than --load flags: only a script can also name the default source.
    QFile script(m_dir.filePath(u"test.pa"_s));
    if (!script.open(QIODevice::WriteOnly))
        return script.errorString();
    script.write(u"load-module module-native-protocol-unix auth-anonymous=1 socket=%1\n"
                 "load-module module-null-sink sink_name=cm_null\n"
                 "load-module module-sine sink=cm_null frequency=440\n"
                 "load-module module-remap-source source_name=%2 master=cm_null.monitor "
                 "source_properties=device.description=%3\n"
                 "set-default-source %2\n"_s.arg(socketPath(), QString::fromLatin1(sourceId()), description())
                     .toUtf8());
    script.close();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, m_dir.path());
    env.insert(u"XDG_RUNTIME_DIR"_s, runtime);
    env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
    m_pulse.setProcessEnvironment(env);
    m_pulse.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_pulse.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_pulse.start(binary,
        { u"--daemonize=no"_s, u"-n"_s, u"--use-pid-file=no"_s, u"--disable-shm=yes"_s,
            // It stays while the test runs, however long nobody records; should the test crash, the
            // kernel ends it with its parent (below).
            u"--exit-idle-time=-1"_s, u"--log-level=error"_s, u"-F"_s, script.fileName() });
    if (!m_pulse.waitForStarted(kStartMs))
        return m_pulse.errorString();
    const bool up = QTest::qWaitFor(
        [this] { return QFile::exists(socketPath()) || m_pulse.state() == QProcess::NotRunning; }, kStartMs);
    if (!up || m_pulse.state() != QProcess::Running)
        return u"pulseaudio exited at start-up"_s;
    qputenv("PULSE_SERVER", u"unix:%1"_s.arg(socketPath()).toUtf8());
    return QString();
}

void TestMicrophone::stop()
{
    if (m_pulse.state() == QProcess::NotRunning)
        return;
    m_pulse.terminate();
    if (!m_pulse.waitForFinished(kStartMs))
        m_pulse.kill();
}

} // namespace chattermesh::test

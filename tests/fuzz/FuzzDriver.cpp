// SPDX-License-Identifier: GPL-3.0-or-later
// Our own stand-in for libFuzzer's main(), linked into every fuzz target when the build is not a
// clang fuzz build: runs the target over each file of its seed corpus, then over deterministic
// mutations of them (fixed seed), until a run count or a time budget is spent. A broken invariant
// aborts the process, so ctest reports it as a failure; the input is written out first.
#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

namespace {

// xorshift64*: the same mutations on every machine and every run, so a failure reproduces.
class Random {
public:
    explicit Random(uint64_t seed) : m_state(seed ? seed : 1) { }
    uint64_t next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1DULL;
    }
    size_t below(size_t n) { return n == 0 ? 0 : size_t(next() % n); }

private:
    uint64_t m_state;
};

// Bytes the targets' formats care about: lengths, varint edges, protobuf tags, JSON and Range text.
const QList<QByteArray> kTokens = { QByteArray("\x00", 1), QByteArray("\xff", 1), QByteArray("\x7f", 1),
    QByteArray("\x80", 1), QByteArray("\xff\xff", 2), QByteArray("\xff\xff\xff\xff\x0f", 5),
    QByteArray("\x01\x00", 2), QByteArray("\x08\x01", 2), QByteArray("\x1a\x00", 2), "bytes=", "-", "0",
    "18446744073709551615", "9223372036854775807", "-1", "\"size\":", "\"digest\":", "{}", "null", "1e308" };

QByteArray mutate(QByteArray input, const QList<QByteArray> &corpus, Random &random, size_t maxSize)
{
    const int steps = 1 + int(random.below(4));
    for (int i = 0; i < steps; ++i) {
        const size_t size = size_t(input.size());
        switch (random.below(8)) {
        case 0: // flip a bit
            if (size)
                input[qsizetype(random.below(size))] ^= char(1 << random.below(8));
            break;
        case 1: // set a byte
            if (size)
                input[qsizetype(random.below(size))] = char(random.below(256));
            break;
        case 2: // insert random bytes
            for (size_t n = 1 + random.below(8), at = random.below(size + 1); n > 0; --n)
                input.insert(qsizetype(at), char(random.below(256)));
            break;
        case 3: // erase a range
            if (size)
                input.remove(qsizetype(random.below(size)), qsizetype(1 + random.below(16)));
            break;
        case 4: // duplicate a piece
            if (size) {
                const size_t at = random.below(size);
                input.insert(
                    qsizetype(random.below(size)), input.mid(qsizetype(at), qsizetype(1 + random.below(16))));
            }
            break;
        case 5: // splice in a piece of another seed
            if (!corpus.isEmpty()) {
                const QByteArray &other = corpus.at(qsizetype(random.below(size_t(corpus.size()))));
                if (!other.isEmpty()) {
                    const size_t from = random.below(size_t(other.size()));
                    input.insert(qsizetype(random.below(size + 1)),
                        other.mid(qsizetype(from), qsizetype(1 + random.below(64))));
                }
            }
            break;
        case 6: // a token
            input.insert(qsizetype(random.below(size + 1)),
                kTokens.at(qsizetype(random.below(size_t(kTokens.size())))));
            break;
        case 7: // truncate
            if (size)
                input.truncate(qsizetype(random.below(size)));
            break;
        }
    }
    if (size_t(input.size()) > maxSize)
        input.truncate(qsizetype(maxSize));
    return input;
}

QByteArray g_current; // the input running now, written out if it aborts

void saveCrash(int)
{
    if (FILE *f = std::fopen("fuzz-crash.bin", "wb")) {
        std::fwrite(g_current.constData(), 1, size_t(g_current.size()), f);
        std::fclose(f);
        std::fprintf(stderr, "fuzz driver: the failing input is in ./fuzz-crash.bin (%lld bytes)\n",
            static_cast<long long>(g_current.size()));
    }
    std::signal(SIGABRT, SIG_DFL);
    std::abort();
}

void run(const QByteArray &input)
{
    g_current = input;
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
}

int usage()
{
    std::fprintf(stderr,
        "usage: fuzz_<target> [--runs N] [--max-seconds S] [--seed N] [--max-len N] CORPUS_DIR|FILE...\n"
        "Runs every seed, then N deterministic mutations of them (stopping early after S seconds).\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    long long runs = 10000;
    long long maxSeconds = 15;
    uint64_t seed = 20261204;
    size_t maxLen = 4096;
    QList<QByteArray> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--runs" && hasValue)
            runs = std::atoll(argv[++i]);
        else if (arg == "--max-seconds" && hasValue)
            maxSeconds = std::atoll(argv[++i]);
        else if (arg == "--seed" && hasValue)
            seed = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--max-len" && hasValue)
            maxLen = size_t(std::atoll(argv[++i]));
        else if (arg.rfind("--", 0) == 0)
            return usage();
        else
            paths.append(QByteArray(argv[i]));
    }
    if (paths.isEmpty())
        return usage();
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);

    QList<QByteArray> corpus;
    for (const QByteArray &path : paths) {
        const QString name = QString::fromLocal8Bit(path);
        QStringList files;
        if (QFileInfo(name).isDir()) {
            QDirIterator it(name, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                files.append(it.next());
            files.sort(); // the same order everywhere: the mutations depend on it
        } else {
            files.append(name);
        }
        for (const QString &file : files) {
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "fuzz driver: cannot read %s\n", qPrintable(file));
                return 2;
            }
            corpus.append(f.readAll());
        }
    }
    if (corpus.isEmpty()) {
        std::fprintf(stderr, "fuzz driver: the corpus is empty\n");
        return 2;
    }
    std::signal(SIGABRT, saveCrash);
    std::signal(SIGSEGV, saveCrash);

    QElapsedTimer clock;
    clock.start();
    for (const QByteArray &seedInput : std::as_const(corpus))
        run(seedInput);
    Random random(seed);
    long long done = 0;
    for (; done < runs && clock.elapsed() < maxSeconds * 1000; ++done) {
        const QByteArray &base = corpus.at(qsizetype(random.below(size_t(corpus.size()))));
        run(mutate(base, corpus, random, maxLen));
    }
    const double seconds = double(clock.elapsed()) / 1000.0;
    std::printf("fuzz driver: %lld seeds and %lld mutations in %.1f s (%.0f execs/s), no invariant broken\n",
        static_cast<long long>(corpus.size()), done, seconds,
        double(corpus.size() + done) / std::max(seconds, 0.001));
    return 0;
}

#include "support/ProxyUpstream.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "support/ServerProcess.hpp"
#include "support/Streaming.hpp"

namespace {

std::string currentDirectory()
{
    char buffer[PATH_MAX];
    return getcwd(buffer, sizeof buffer) != nullptr ? buffer : "";
}

// Taken before main(): the tests run from the repository root, but one may
// chdir (ScopedChdir) before it starts an upstream.
const std::string g_startDirectory = currentDirectory();

std::string parentOf(const std::string& path)
{
    size_t slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

bool exists(const std::string& path)
{
    return access(path.c_str(), R_OK) == 0;
}

// Waits (up to timeoutMs) for the child's exit as an event, a pidfd
// becoming readable, and reaps it.
bool waitForExit(pid_t pid, int timeoutMs)
{
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
        pollfd entry { pidfd, POLLIN, 0 };
        while (poll(&entry, 1, timeoutMs) < 0 && errno == EINTR) {
        }
        close(pidfd);
    }
    int status;
    return waitpid(pid, &status, WNOHANG) == pid;
}

// In the child, between fork() and exec: async-signal-safe calls only.
// Only 0, 1, 2 go on: a test's client socket held by the upstream too
// would not close when the test closes it.
void closeInheritedFds(int highest)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
        return;
#endif
    for (int fd = 3; fd <= highest; ++fd)
        close(fd);
}

const size_t kPiece = 65536;

// Within piece p (offsets p * kPiece + j) the byte is (7 * j + c) % 251
// with c = p * (7 * kPiece + 1) % 251; 36 is 7's inverse mod 251, so that
// is table[j + 36 * c % 251]: every piece is a slice of one table (the
// same trick as the script's).
const std::string& patternTable()
{
    static const std::string table = [] {
        std::string bytes(kPiece + 251, '\0');
        for (size_t j = 0; j < bytes.size(); ++j)
            bytes[j] = static_cast<char>(7 * j % 251);
        return bytes;
    }();
    return table;
}

}

std::string ProxyUpstream::script()
{
    const std::string relative = "tests/support/proxy_upstream.py";
    std::vector<std::string> candidates;
    if (!g_startDirectory.empty())
        candidates.push_back(g_startDirectory + (g_startDirectory == "/" ? "" : "/") + relative);
    std::string here = __FILE__;
    if (!here.empty() && here[0] == '/')
        candidates.push_back(parentOf(here) + "/proxy_upstream.py");
    // The binaries are build/NAME or build/asan/NAME: the root is above.
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        std::string dir = parentOf(std::string(exe, static_cast<size_t>(n)));
        for (int up = 0; up < 4 && dir != "/"; ++up, dir = parentOf(dir))
            candidates.push_back(dir + "/" + relative);
    }
    for (const std::string& path : candidates)
        if (exists(path))
            return path;
    return candidates.empty() ? relative : candidates.front();
}

ProxyUpstream::ProxyUpstream(bool unixSocket)
    : port_(unixSocket ? 0 : freePort()),
      socket_(unixSocket ? dir_.file("upstream.sock") : ""),
      pid_(-1),
      started_(false)
{
    std::vector<std::string> args = { "/usr/bin/python3", script() };
    if (unixSocket) {
        args.push_back("--unix");
        args.push_back(socket_);
    } else {
        args.push_back("--port");
        args.push_back(std::to_string(port_));
    }
    // Everything is made before fork(): the test binary has threads, and
    // its child may not allocate until it execs (the ASan allocator can be
    // left locked by a thread the child does not have).
    std::vector<char*> argv;
    for (std::string& arg : args)
        argv.push_back(&arg[0]);
    argv.push_back(nullptr);
    rlimit files {};
    getrlimit(RLIMIT_NOFILE, &files);
    int highest = files.rlim_cur == RLIM_INFINITY || files.rlim_cur > 65536
        ? 65535 : static_cast<int>(files.rlim_cur) - 1;
    // A test thread may block or ignore SIGTERM; stop() counts on it.
    sigset_t noSignals;
    sigemptyset(&noSignals);
    struct sigaction byDefault {};
    byDefault.sa_handler = SIG_DFL;
    int out[2];
    int devNull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devNull < 0 || pipe2(out, O_CLOEXEC) != 0) {
        ADD_FAILURE() << "proxy upstream: no pipe";
        if (devNull >= 0)
            close(devNull);
        return;
    }
    pid_ = fork();
    if (pid_ == 0) {
        // A test binary that dies takes its upstream along.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        sigprocmask(SIG_SETMASK, &noSignals, nullptr);
        sigaction(SIGTERM, &byDefault, nullptr);
        dup2(devNull, 0);
        dup2(out[1], 1);
        closeInheritedFds(highest);     // stderr stays: a traceback shows in the test log
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(devNull);
    close(out[1]);
    if (pid_ < 0) {
        close(out[0]);
        ADD_FAILURE() << "proxy upstream: fork failed";
        return;
    }
    // "READY" once it listens; end of file if it died first.
    std::string said;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
        if (said.find("READY\n") != std::string::npos) {
            started_ = true;
            break;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0)
            break;
        pollfd entry { out[0], POLLIN, 0 };
        int ready = poll(&entry, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            break;
        char buffer[256];
        ssize_t got = read(out[0], buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        said.append(buffer, static_cast<size_t>(got));
    }
    // It writes nothing more; a later write would meet EPIPE, not block.
    close(out[0]);
    if (!started_) {
        ADD_FAILURE() << "proxy upstream did not start: " << args[1] << " said \"" << said << "\"";
        stop();
    }
}

ProxyUpstream::~ProxyUpstream()
{
    stop();
}

std::string ProxyUpstream::address() const
{
    return socket_.empty() ? "127.0.0.1:" + std::to_string(port_) : "unix:" + socket_ + ":";
}

void ProxyUpstream::stop()
{
    if (pid_ <= 0)
        return;
    kill(pid_, SIGTERM);
    if (!waitForExit(pid_, 5000)) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
    started_ = false;
}

std::string upstreamPattern(size_t offset, size_t length)
{
    std::string bytes(length, '\0');
    for (size_t i = 0; i < length; ++i) {
        uint64_t k = offset + i;
        bytes[i] = static_cast<char>((k * 7 + k / kPiece) % 251);
    }
    return bytes;
}

std::string upstreamPatternSha256(size_t bytes)
{
    const std::string& table = patternTable();
    Sha256 sha;
    for (size_t p = 0; p * kPiece < bytes; ++p) {
        size_t shift = 36 * (p * (7 * kPiece + 1) % 251) % 251;
        sha.update(table.data() + shift, std::min(kPiece, bytes - p * kPiece));
    }
    return sha.hex();
}

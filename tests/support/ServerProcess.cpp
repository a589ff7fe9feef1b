#include "support/ServerProcess.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace {

std::string binaryPath()
{
    const char* bin = std::getenv("WEBSERV_BIN");
    return bin ? bin : "./webserv";
}

void replaceAll(std::string& text, const std::string& from, const std::string& to)
{
    for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

// In the child: keep only 0, 1, 2, so fd counts of the server are its own.
void closeInheritedFds()
{
    for (int fd = 3; fd < 1024; ++fd)
        close(fd);
}

// Everything is built before fork(): the tests have threads (the log
// readers), and a child of a threaded process may only make async-signal-
// safe calls until it execs. An allocation there can find the allocator
// locked by a thread that does not exist in the child and wait for ever
// (glibc's malloc guards against that at fork(); the AddressSanitizer
// allocator of GCC 12 does not), leaving runWebserv() reading a pipe that
// never closes.
pid_t spawn(const std::vector<std::string>& args, int outFd, int errFd)
{
    std::string bin = binaryPath();
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(bin.c_str()));
    for (size_t i = 0; i < args.size(); ++i)
        argv.push_back(const_cast<char*>(args[i].c_str()));
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    // A test binary that dies (its watchdog, a crash) takes its servers along.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(outFd, 1);
    dup2(errFd, 2);
    closeInheritedFds();
    execv(bin.c_str(), argv.data());
    _exit(127);
}

// Waits for the child to exit, as an event: poll() on a pidfd becomes
// readable when the process terminates. Reaps it into *status.
bool waitForExit(pid_t pid, int timeoutMs, int* status)
{
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) {
        pollfd entry { pidfd, POLLIN, 0 };
        poll(&entry, 1, timeoutMs);
        close(pidfd);
    }
    return waitpid(pid, status, WNOHANG) == pid;
}

int decodeStatus(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

}

bool hasIpv6Loopback()
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    sockaddr_in6 address {};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    bool ok = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

int freePort()
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

ServerProcess::ServerProcess(const std::string& configText, const Setup& setup)
    : port_(freePort()), pid_(-1), started_(false), exitStatus_(-1)
{
    if (setup)
        setup(dir_);
    std::string text = configText;
    replaceAll(text, "{PORT}", std::to_string(port_));
    replaceAll(text, "{DIR}", dir_.path());
    std::string config = dir_.write("webserv.conf", text);
    int outPipe[2];
    int errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0 || pipe2(errPipe, O_CLOEXEC) != 0
        || pipe2(wakeReaders_, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe2 failed");
    pid_ = spawn({ config }, outPipe[1], errPipe[1]);
    close(outPipe[1]);
    close(errPipe[1]);
    outReader_ = std::thread(&ServerProcess::drain, this, outPipe[0], &out_);
    errReader_ = std::thread(&ServerProcess::drain, this, errPipe[0], &err_);
    started_ = waitForErr("listening on");
    EXPECT_TRUE(started_) << "webserv did not start; its stderr:\n" << err();
}

ServerProcess::~ServerProcess()
{
    bool wasRunning = pid_ > 0;
    int status = stop();
    // A clean SIGTERM exit is 0; a sanitizer report (leak at exit, UB,
    // memory error) shows in the exit status or on stderr.
    std::string errors = err();
    if (wasRunning && status != 0)
        ADD_FAILURE() << "webserv exited with status " << status << "; stderr:\n" << errors;
    if (errors.find("Sanitizer") != std::string::npos || errors.find("runtime error") != std::string::npos)
        ADD_FAILURE() << "sanitizer report from webserv:\n" << errors;
    joinReaders();
}

// The pipes reach end of file once every process holding them has gone: a
// child the server started and left running (a CGI script's own child)
// would keep a reader, and the test, waiting for ever.
void ServerProcess::joinReaders()
{
    const std::chrono::milliseconds grace(3000);
    bool outClosed = waitClosed(out_, grace);
    bool errClosed = waitClosed(err_, grace);
    if (!outClosed || !errClosed)
        ADD_FAILURE() << "3 s after webserv exited, a process it started still holds its "
                      << (outClosed ? "stderr" : "stdout") << " open";
    ssize_t ignored = write(wakeReaders_[1], "x", 1);
    (void)ignored;
    if (outReader_.joinable())
        outReader_.join();
    if (errReader_.joinable())
        errReader_.join();
    close(wakeReaders_[0]);
    close(wakeReaders_[1]);
}

void ServerProcess::drain(int fd, Stream* stream)
{
    char buffer[4096];
    ssize_t n = 1;
    while (n > 0) {
        pollfd entries[2] = { { fd, POLLIN, 0 }, { wakeReaders_[0], POLLIN, 0 } };
        if (poll(entries, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (entries[1].revents != 0)
            break;
        if ((n = read(fd, buffer, sizeof buffer)) <= 0)
            break;
        std::lock_guard<std::mutex> lock(stream->mutex);
        stream->text.append(buffer, static_cast<size_t>(n));
        stream->changed.notify_all();
    }
    close(fd);
    std::lock_guard<std::mutex> lock(stream->mutex);
    stream->closed = true;
    stream->changed.notify_all();
}

bool ServerProcess::waitClosed(const Stream& stream, std::chrono::milliseconds timeout) const
{
    std::unique_lock<std::mutex> lock(stream.mutex);
    return stream.changed.wait_for(lock, timeout, [&] { return stream.closed; });
}

bool ServerProcess::waitFor(const Stream& stream, const std::string& text,
    std::chrono::milliseconds timeout) const
{
    std::unique_lock<std::mutex> lock(stream.mutex);
    return stream.changed.wait_for(lock, timeout, [&] {
        return stream.text.find(text) != std::string::npos || stream.closed;
    }) && stream.text.find(text) != std::string::npos;
}

std::string ServerProcess::out() const
{
    std::lock_guard<std::mutex> lock(out_.mutex);
    return out_.text;
}

std::string ServerProcess::err() const
{
    std::lock_guard<std::mutex> lock(err_.mutex);
    return err_.text;
}

bool ServerProcess::waitForOut(const std::string& text, std::chrono::milliseconds timeout) const
{
    return waitFor(out_, text, timeout);
}

bool ServerProcess::waitForErr(const std::string& text, std::chrono::milliseconds timeout) const
{
    return waitFor(err_, text, timeout);
}

namespace {

size_t occurrences(const std::string& text, const std::string& part)
{
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

}

size_t ServerProcess::waitForErrCount(const std::string& text, size_t count,
    std::chrono::milliseconds timeout) const
{
    std::unique_lock<std::mutex> lock(err_.mutex);
    err_.changed.wait_for(lock, timeout, [&] {
        return occurrences(err_.text, text) >= count || err_.closed;
    });
    return occurrences(err_.text, text);
}

bool ServerProcess::alive() const
{
    if (pid_ <= 0)
        return false;
    // WNOWAIT: look without reaping, so stop() still collects the status.
    siginfo_t info {};
    return waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0
        && info.si_pid == 0;
}

int ServerProcess::openFds() const
{
    std::string path = "/proc/" + std::to_string(pid_) + "/fd";
    if (access(path.c_str(), R_OK) != 0)
        return -1;
    return static_cast<int>(listDirectory(path).size());
}

int ServerProcess::openFdsSettlingAt(int expected, std::chrono::milliseconds timeout) const
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int count = openFds();
    while (count != expected && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        count = openFds();
    }
    return count;
}

// A "Name:   N kB" line of /proc/PID/status, or -1.
static long statusFieldKiB(pid_t pid, const std::string& field)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.compare(0, field.size(), field) == 0)
            return std::strtol(line.c_str() + field.size(), nullptr, 10);
    return -1;
}

long ServerProcess::rssKiB() const
{
    return statusFieldKiB(pid_, "VmRSS:");
}

long ServerProcess::addressSpaceKiB() const
{
    return statusFieldKiB(pid_, "VmSize:");
}

bool raiseFdLimit(rlim_t wanted)
{
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur >= wanted)
        return true;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    return setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= wanted;
}

int ServerProcess::stop(int signal)
{
    if (pid_ <= 0)
        return exitStatus_;
    kill(pid_, signal);
    int status = 0;
    if (!waitForExit(pid_, 5000, &status)) {
        ADD_FAILURE() << "webserv did not exit within 5 s of signal " << signal;
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    exitStatus_ = decodeStatus(status);
    return exitStatus_;
}

int runWebserv(const std::vector<std::string>& args, std::string* output)
{
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = spawn(args, pipeFds[1], pipeFds[1]);
    close(pipeFds[1]);
    // Bounded: a run that should have ended (a -t, a refused start) but
    // serves instead fails the test rather than hanging it.
    const int limitMs = 60000;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limitMs);
    char buffer[4096];
    ssize_t n = 1;
    output->clear();
    while (n > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()).count();
        pollfd entry { pipeFds[0], POLLIN, 0 };
        if (left <= 0 || (poll(&entry, 1, static_cast<int>(left)) < 0 && errno != EINTR)) {
            kill(pid, SIGKILL);
            output->append("\n[runWebserv: still running after 60 s, killed]\n");
            break;
        }
        if (entry.revents != 0)
            n = read(pipeFds[0], buffer, sizeof buffer);
        if (n > 0 && entry.revents != 0)
            output->append(buffer, static_cast<size_t>(n));
    }
    close(pipeFds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return decodeStatus(status);
}

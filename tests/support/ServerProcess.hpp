#ifndef WEBSERV_TESTS_SUPPORT_SERVERPROCESS_HPP
#define WEBSERV_TESTS_SUPPORT_SERVERPROCESS_HPP

// Runs the real ./webserv (the binary named by $WEBSERV_BIN) on a config
// written to a temporary directory, for integration tests. Its stdout
// (access log) and stderr (error log) are drained by background threads, so
// tests can wait for a line to appear instead of sleeping.

#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>
#include <string>
#include <thread>

#include "support/TempDir.hpp"

// A TCP port on 127.0.0.1 that was free a moment ago.
int freePort();

// Whether this machine can bind [::1] (containers may have no IPv6).
bool hasIpv6Loopback();

class ServerProcess {
public:
    // Called with the temporary directory before the server starts, to
    // create its document root and files.
    typedef std::function<void(const TempDir&)> Setup;

    // configText may contain {PORT} (replaced by port()) and {DIR} (the
    // temporary directory, for roots and logs). Starts the server and waits
    // until it reports that it listens; a failed start is a test failure.
    explicit ServerProcess(const std::string& configText, const Setup& setup = Setup());
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    const TempDir& dir() const { return dir_; }
    bool started() const { return started_; }

    // Everything the server wrote so far to stdout / stderr.
    std::string out() const;
    std::string err() const;
    // Waits until stdout (or stderr) contains text; false on timeout.
    bool waitForOut(const std::string& text, std::chrono::milliseconds timeout
        = std::chrono::milliseconds(5000)) const;
    bool waitForErr(const std::string& text, std::chrono::milliseconds timeout
        = std::chrono::milliseconds(5000)) const;
    // Waits until stderr holds text `count` times or more; how many times
    // it does then (fewer on timeout). Log lines travel through a pipe, so
    // the last ones may come after the answers that caused them.
    size_t waitForErrCount(const std::string& text, size_t count, std::chrono::milliseconds timeout
        = std::chrono::milliseconds(5000)) const;

    bool alive() const;
    // Open descriptors of the server process (/proc/PID/fd).
    int openFds() const;
    // openFds() once it equals expected, or after timeout. A connection the
    // server polls apart (idle or trickling for a second) is closed up to a
    // lane scan after its client left, so no request of another client is a
    // sync point for it: its descriptor is watched instead.
    int openFdsSettlingAt(int expected, std::chrono::milliseconds timeout
        = std::chrono::milliseconds(2000)) const;
    // Resident memory in KiB (/proc/PID/status VmRSS).
    long rssKiB() const;
    // Address space in KiB (VmSize): what RLIMIT_AS counts.
    long addressSpaceKiB() const;
    // Sends signal (SIGTERM: the fast stop; SIGQUIT: the graceful one) and
    // waits up to 5 s; returns the exit status (or 128+signal). Once it has
    // exited, the status it had.
    int stop(int signal = SIGTERM);

private:
    struct Stream {
        mutable std::mutex mutex;
        mutable std::condition_variable changed;
        std::string text;
        bool closed = false;
    };
    void drain(int fd, Stream* stream);
    void joinReaders();
    bool waitClosed(const Stream& stream, std::chrono::milliseconds timeout) const;
    bool waitFor(const Stream& stream, const std::string& text,
        std::chrono::milliseconds timeout) const;

    TempDir dir_;
    int port_;
    pid_t pid_;
    bool started_;
    int exitStatus_;
    Stream out_;
    Stream err_;
    int wakeReaders_[2];    // written to when the readers must stop waiting
    std::thread outReader_;
    std::thread errReader_;
};

// True in `make test SANITIZE=1`, which builds the tests and the server
// alike: AddressSanitizer keeps freed memory aside (its quarantine), so a
// server's RSS says little about what it holds.
#if defined(__SANITIZE_ADDRESS__)
const bool kUnderAddressSanitizer = true;
#else
const bool kUnderAddressSanitizer = false;
#endif

// Raises this process's RLIMIT_NOFILE (which servers started afterwards
// inherit) to at least wanted; false when the hard limit is lower.
bool raiseFdLimit(rlim_t wanted);

// Runs `$WEBSERV_BIN args...` to completion; returns its exit status and
// what it wrote to stderr (stdout is appended to it).
int runWebserv(const std::vector<std::string>& args, std::string* output);

#endif

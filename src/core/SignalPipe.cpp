#include "core/SignalPipe.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace {

// The write end of the pipe, for the handlers (async-signal-safe).
int g_signalPipe = -1;
volatile sig_atomic_t g_stopRequested = 0;

extern "C" void onStopSignal(int signo)
{
    g_stopRequested = 1;
    char byte = static_cast<char>(signo);
    ssize_t ignored = write(g_signalPipe, &byte, 1);
    (void)ignored;
}

// Wakes the loop up with the signal's number; the loop acts on it.
extern "C" void onWakeSignal(int signo)
{
    char byte = static_cast<char>(signo);
    ssize_t ignored = write(g_signalPipe, &byte, 1);
    (void)ignored;
}

void installHandlers()
{
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, 0);
    sigaction(SIGTERM, &action, 0);
    // Reload, log reopening, graceful stop: only wake poll() up; the loop
    // does the work.
    action.sa_handler = onWakeSignal;
    sigaction(SIGHUP, &action, 0);
    sigaction(SIGUSR1, &action, 0);
    sigaction(SIGQUIT, &action, 0);
    // A CGI child exited: the loop reaps it.
    action.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &action, 0);
    action.sa_flags = 0;
    action.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &action, 0);
}

}

SignalPipe::SignalPipe()
    : reload_(false), reopen_(false), quit_(false)
{
}

SignalPipe::~SignalPipe()
{
    if (g_signalPipe == write_.get())
        g_signalPipe = -1;
}

bool SignalPipe::open(std::string* error)
{
    int ends[2];
    if (pipe(ends) != 0 || !setNonBlockingCloexec(ends[0]) || !setNonBlockingCloexec(ends[1])) {
        *error = std::string("pipe() failed (") + std::strerror(errno) + ")";
        return false;
    }
    read_.reset(ends[0]);
    write_.reset(ends[1]);
    g_signalPipe = write_.get();
    installHandlers();
    return true;
}

void SignalPipe::drain()
{
    char bytes[64];
    ssize_t n;
    while ((n = read(read_.get(), bytes, sizeof bytes)) > 0) {
        for (ssize_t i = 0; i < n; ++i) {
            reload_ = reload_ || bytes[i] == SIGHUP;
            reopen_ = reopen_ || bytes[i] == SIGUSR1;
            quit_ = quit_ || bytes[i] == SIGQUIT;
        }
    }
}

bool SignalPipe::stopRequested() const
{
    return g_stopRequested != 0;
}

bool SignalPipe::takeReload()
{
    bool asked = reload_;
    reload_ = false;
    return asked;
}

bool SignalPipe::takeReopen()
{
    bool asked = reopen_;
    reopen_ = false;
    return asked;
}

bool SignalPipe::takeQuit()
{
    bool asked = quit_;
    quit_ = false;
    return asked;
}

#ifndef WEBSERV_CORE_SIGNALPIPE_HPP
#define WEBSERV_CORE_SIGNALPIPE_HPP

// Signals reach the event loop through a pipe in its poll set, so one that
// arrives just before poll() is never lost: the handlers only write the
// signal's number; the loop reads it (drain) and does the work between
// passes. SIGINT/SIGTERM ask to stop at once, SIGQUIT to stop once the
// requests in flight are done, SIGHUP to reload, SIGUSR1 to reopen the
// logs, SIGCHLD to reap CGI children; SIGPIPE is ignored. One per process.

#include <string>

#include "util/Fd.hpp"

class SignalPipe {
public:
    SignalPipe();
    ~SignalPipe();

    // Makes the pipe and installs the handlers. False with *error.
    bool open(std::string* error);
    // The end to poll for POLLIN.
    int fd() const { return read_.get(); }
    // Reads what the handlers wrote, recording what was asked.
    void drain();

    bool stopRequested() const;
    // Each is true once asked for, until taken.
    bool takeReload();
    bool takeReopen();
    bool takeQuit();

private:
    SignalPipe(const SignalPipe&);
    SignalPipe& operator=(const SignalPipe&);

    Fd read_;
    Fd write_;
    bool reload_;
    bool reopen_;
    bool quit_;
};

#endif

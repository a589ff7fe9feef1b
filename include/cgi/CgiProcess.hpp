#ifndef WEBSERV_CGI_CGIPROCESS_HPP
#define WEBSERV_CGI_CGIPROCESS_HPP

// A CGI child process and the two pipes to it: the server's ends are
// non-blocking and close-on-exec, for the poll() loop; the child gets them as
// its stdin and stdout, keeps the server's stderr (the error log) and nothing
// else. The only place where the server starts a process.
//
// Children are reaped by reapChildren(), called by the event loop after a
// SIGCHLD; a CgiProcess learns its child's exit status from there. Destroying
// a CgiProcess whose child still runs kills the child (SIGKILL): it is reaped
// the same way, so no zombie outlives a request.

#include <sys/types.h>
#include <string>
#include <vector>

#include "util/Fd.hpp"

class CgiProcess {
public:
    CgiProcess();
    ~CgiProcess();

    // Starts argv[0] (an absolute path) with argv and env, in directory.
    // False with *error when the pipes or the start fail, an exec failure
    // included (posix_spawn() reports it, so no child is left to reap).
    bool spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
        const std::string& directory, std::string* error);

    int stdinFd() const { return stdin_.get(); }
    int stdoutFd() const { return stdout_.get(); }
    void closeStdin() { stdin_.reset(); }
    void closeStdout() { stdout_.reset(); }

    pid_t pid() const { return pid_; }
    // True once the child has exited and been reaped; *status is its wait
    // status.
    bool finished(int* status);
    void signal(int signo);

private:
    CgiProcess(const CgiProcess&);
    CgiProcess& operator=(const CgiProcess&);

    pid_t pid_;
    Fd stdin_;    // the server writes the request body here
    Fd stdout_;   // and reads the script's output here
    bool reaped_;
    int status_;
};

// Reaps every child that has exited (waitpid with WNOHANG), recording the
// statuses for their CgiProcess. Cheap when there is none.
void reapChildren();
// Children started and not yet reaped.
size_t runningChildren();

#endif

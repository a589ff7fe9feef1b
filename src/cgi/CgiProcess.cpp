#include "cgi/CgiProcess.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <set>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// pid -> wait status of children reaped before their CgiProcess asked.
std::map<pid_t, int> g_exited;
// Children whose CgiProcess is gone: reaped and forgotten.
std::set<pid_t> g_abandoned;
// Children started and not reaped yet.
size_t g_running = 0;

std::vector<char*> pointers(const std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (size_t i = 0; i < strings.size(); ++i)
        result.push_back(const_cast<char*>(strings[i].c_str()));
    result.push_back(0);
    return result;
}

// In the child, between fork() and exec(): only async-signal-safe calls.
void execChild(int stdinFd, int stdoutFd, const std::string& directory, char* const* argv,
    char* const* envp)
{
    if (dup2(stdinFd, 0) < 0 || dup2(stdoutFd, 1) < 0)
        _exit(127);
    // The server ignores SIGPIPE and catches SIGTERM; a script starts fresh.
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    const int signals[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; ++i)
        sigaction(signals[i], &action, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, 0);
    if (chdir(directory.c_str()) != 0)
        _exit(127);
    execve(argv[0], argv, envp);
    _exit(127);
}

}

CgiProcess::CgiProcess()
    : pid_(-1), reaped_(false), status_(0)
{
}

CgiProcess::~CgiProcess()
{
    stdin_.reset();
    stdout_.reset();
    int status;
    if (pid_ > 0 && !finished(&status)) {
        ::kill(pid_, SIGKILL);
        g_abandoned.insert(pid_);
    }
}

bool CgiProcess::spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
    const std::string& directory, std::string* error)
{
    int toChild[2];
    int fromChild[2];
    if (pipe(toChild) != 0) {
        *error = std::string("pipe() failed (") + std::strerror(errno) + ")";
        return false;
    }
    if (pipe(fromChild) != 0) {
        *error = std::string("pipe() failed (") + std::strerror(errno) + ")";
        close(toChild[0]);
        close(toChild[1]);
        return false;
    }
    Fd childIn(toChild[0]);
    Fd childOut(fromChild[1]);
    stdin_.reset(toChild[1]);
    stdout_.reset(fromChild[0]);
    // Every end is close-on-exec: the child's own ends become 0 and 1 by
    // dup2(), which clears the flag on the copies.
    setNonBlockingCloexec(stdin_.get());
    setNonBlockingCloexec(stdout_.get());
    fcntl(childIn.get(), F_SETFD, FD_CLOEXEC);
    fcntl(childOut.get(), F_SETFD, FD_CLOEXEC);
    std::vector<char*> argvPointers = pointers(argv);
    std::vector<char*> envPointers = pointers(env);
    pid_ = fork();
    if (pid_ < 0) {
        *error = std::string("fork() failed (") + std::strerror(errno) + ")";
        stdin_.reset();
        stdout_.reset();
        return false;
    }
    if (pid_ == 0)
        execChild(childIn.get(), childOut.get(), directory, &argvPointers[0], &envPointers[0]);
    ++g_running;
    return true;
}

bool CgiProcess::finished(int* status)
{
    if (!reaped_ && pid_ > 0) {
        std::map<pid_t, int>::iterator it = g_exited.find(pid_);
        if (it != g_exited.end()) {
            status_ = it->second;
            reaped_ = true;
            g_exited.erase(it);
        }
    }
    *status = status_;
    return reaped_;
}

void CgiProcess::signal(int signo)
{
    int status;
    if (pid_ > 0 && !finished(&status))
        ::kill(pid_, signo);
}

void reapChildren()
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (g_abandoned.erase(pid) == 0)
            g_exited[pid] = status;
        if (g_running > 0)
            --g_running;
    }
}

size_t runningChildren()
{
    return g_running;
}

#include "cgi/CgiProcess.hpp"

#include <cerrno>
#include <csignal>
#include <map>
#include <new>
#include <set>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/Log.hpp"

// posix_spawn() starts a child without copying the server's page tables
// (glibc: a vfork-style clone), about half the cost of fork() + exec()
// here. The child's working directory needs the chdir() file action, a GNU
// extension since glibc 2.29: older systems are not supported.
#if defined(__GLIBC__) && (__GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 29))
#error "webserv needs glibc >= 2.29 (posix_spawn_file_actions_addchdir_np)"
#endif

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

// The server ignores SIGPIPE and catches the others; a script starts fresh.
const int kResetSignals[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD };
const size_t kResetSignalCount = sizeof kResetSignals / sizeof kResetSignals[0];

// 0, or the errno of what failed (an exec failure included).
int startChild(int stdinFd, int stdoutFd, const std::string& directory, char* const* argv,
    char* const* envp, pid_t* pid)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t defaults;
    sigset_t none;
    sigemptyset(&defaults);
    for (size_t i = 0; i < kResetSignalCount; ++i)
        sigaddset(&defaults, kResetSignals[i]);
    sigemptyset(&none);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_adddup2(&actions, stdinFd, 0);
    posix_spawn_file_actions_adddup2(&actions, stdoutFd, 1);
    posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    int error = posix_spawn(pid, argv[0], &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return error;
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
        // Out of memory the note is lost, not the process: the child is
        // still reaped (reapChildren() waits for any), its status kept.
        try {
            g_abandoned.insert(pid_);
        } catch (const std::bad_alloc&) {
        }
    }
}

bool CgiProcess::spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
    const std::string& directory, std::string* error)
{
    int toChild[2];
    int fromChild[2];
    if (pipe(toChild) != 0) {
        *error = "pipe() failed " + errnoText(errno);
        return false;
    }
    if (pipe(fromChild) != 0) {
        *error = "pipe() failed " + errnoText(errno);
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
    int failure = startChild(childIn.get(), childOut.get(), directory, &argvPointers[0],
        &envPointers[0], &pid_);
    if (failure != 0) {
        *error = failedCall("posix_spawn()", argv[0], failure);
        pid_ = -1;
        stdin_.reset();
        stdout_.reset();
        return false;
    }
    ++g_running;
    // An earlier child with this pid whose end no CgiProcess took (its
    // note was lost to an allocation failure) must not pass for this one.
    g_exited.erase(pid_);
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

#include "core/SignalCommand.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "util/Fd.hpp"
#include "util/Strings.hpp"

namespace {

// "(2: No such file or directory)", nginx's form of an errno.
std::string errnoText(int error)
{
    return "(" + toString(static_cast<long>(error)) + ": " + std::strerror(error) + ")";
}

}

int signalForCommand(const std::string& name)
{
    if (name == "stop")
        return SIGTERM;
    if (name == "quit")
        return SIGQUIT;
    if (name == "reload")
        return SIGHUP;
    if (name == "reopen")
        return SIGUSR1;
    return 0;
}

bool parsePidText(const std::string& text, long* pid)
{
    size_t end = text.size();
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
        --end;
    if (end == 0 || end > 18)
        return false;
    long value = 0;
    for (size_t i = 0; i < end; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    *pid = value;
    return value > 0;
}

bool signalRunningServer(const std::string& pidFile, int signo, std::string* message,
    std::string* level)
{
    *level = "error";
    Fd fd(open(pidFile.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        *message = "open() \"" + pidFile + "\" failed " + errnoText(errno);
        return false;
    }
    char buffer[32];
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
        *message = "read() \"" + pidFile + "\" failed " + errnoText(errno);
        return false;
    }
    std::string text(buffer, static_cast<size_t>(n));
    long pid;
    if (!parsePidText(text, &pid)) {
        while (!text.empty() && (text[text.size() - 1] == '\n' || text[text.size() - 1] == '\r'))
            text.erase(text.size() - 1);
        *message = "invalid PID number \"" + text + "\" in \"" + pidFile + "\"";
        return false;
    }
    if (kill(static_cast<pid_t>(pid), signo) != 0) {
        *level = "alert";
        *message = "kill(" + toString(pid) + ", " + toString(static_cast<long>(signo)) + ") failed "
            + errnoText(errno);
        return false;
    }
    return true;
}

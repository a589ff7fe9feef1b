#include "util/Log.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace {

const char* levelName(LogLevel level)
{
    switch (level) {
    case LOG_INFO: return "info";
    case LOG_NOTICE: return "notice";
    case LOG_WARN: return "warn";
    case LOG_ERROR: return "error";
    case LOG_CRIT: return "crit";
    }
    return "error";
}

}

void logMessage(LogLevel level, const std::string& message)
{
    time_t now = time(0);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
    std::string line = std::string(stamp) + " [" + levelName(level) + "] " + message + "\n";
    // One write per line keeps lines whole; a failed log write has nowhere
    // to be reported, so its result is deliberately ignored.
    ssize_t ignored = write(2, line.data(), line.size());
    (void)ignored;
}

std::string errnoText(int error)
{
    char number[16];
    std::snprintf(number, sizeof number, "%d", error);
    return std::string("(") + number + ": " + std::strerror(error) + ")";
}

std::string failedCall(const std::string& call, const std::string& path, int error)
{
    return call + " \"" + path + "\" failed " + errnoText(error);
}

bool openErrorLog(const std::string& path, std::string* error)
{
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        *error = "open() \"" + path + "\" failed (" + std::strerror(errno) + ")";
        return false;
    }
    bool ok = dup2(fd, 2) >= 0;
    if (!ok)
        *error = std::string("dup2() failed (") + std::strerror(errno) + ")";
    close(fd);
    return ok;
}

#include "util/Log.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/uio.h>
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
    logMessage(level, message.data(), message.size());
}

// Allocates nothing, so that running out of memory can still be logged.
void logMessage(LogLevel level, const char* message, size_t length)
{
    time_t now = time(0);
    struct tm tm;
    localtime_r(&now, &tm);
    char prefix[64];
    size_t stamp = std::strftime(prefix, sizeof prefix, "%Y/%m/%d %H:%M:%S", &tm);
    int prefixLength = std::snprintf(prefix + stamp, sizeof prefix - stamp, " [%s] ",
        levelName(level));
    char newline = '\n';
    struct iovec parts[3];
    parts[0].iov_base = prefix;
    parts[0].iov_len = stamp + static_cast<size_t>(prefixLength);
    parts[1].iov_base = const_cast<char*>(message);
    parts[1].iov_len = length;
    parts[2].iov_base = &newline;
    parts[2].iov_len = 1;
    // One write per line keeps lines whole; a failed log write has nowhere
    // to be reported, so its result is deliberately ignored.
    ssize_t ignored = writev(2, parts, 3);
    (void)ignored;
}

LogThrottle::LogThrottle(long periodMs) : periodMs_(periodMs), lastMs_(0), heldBack_(0), logged_(false)
{
}

bool LogThrottle::allow(long now)
{
    if (logged_ && now - lastMs_ < periodMs_) {
        ++heldBack_;
        return false;
    }
    logged_ = true;
    lastMs_ = now;
    return true;
}

unsigned long LogThrottle::takeHeldBack()
{
    unsigned long count = heldBack_;
    heldBack_ = 0;
    return count;
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

#ifndef WEBSERV_UTIL_LOG_HPP
#define WEBSERV_UTIL_LOG_HPP

// The error log: one line per event, nginx style
// ("2026/11/25 18:23:38 [error] message"), written to fd 2, which the error
// log file (if configured) replaces, so CGI scripts' stderr lands there too.

#include <cstddef>
#include <string>

enum LogLevel {
    LOG_INFO,
    LOG_NOTICE,
    LOG_WARN,
    LOG_ERROR,
    LOG_CRIT
};

void logMessage(LogLevel level, const std::string& message);
// The same without allocating: what an allocation failure is logged with.
void logMessage(LogLevel level, const char* message, size_t length);

// At most one line per period for an event that comes in storms (an
// allocation failing for one connection after another), so the storm does
// not fill the disk; the next line says how many were held back.
class LogThrottle {
public:
    explicit LogThrottle(long periodMs);
    // Whether a line may be written at now (monotonic ms); if not, the
    // event is counted as held back.
    bool allow(long now);
    // The events held back since the last line; the count starts again.
    unsigned long takeHeldBack();

private:
    long periodMs_;
    long lastMs_;
    unsigned long heldBack_;
    bool logged_;
};
// An errno as nginx appends it to a message: "(2: No such file or directory)".
std::string errnoText(int error);
// A failed system call on a path, in nginx's words:
// open() "/srv/www/a" failed (2: No such file or directory)
std::string failedCall(const std::string& call, const std::string& path, int error);
// Points fd 2 at path (appending). False with *error set on failure.
bool openErrorLog(const std::string& path, std::string* error);

#endif

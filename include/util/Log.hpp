#ifndef WEBSERV_UTIL_LOG_HPP
#define WEBSERV_UTIL_LOG_HPP

// The error log: one line per event, nginx style
// ("2026/11/25 18:23:38 [error] message"), written to fd 2, which the error
// log file (if configured) replaces, so CGI scripts' stderr lands there too.

#include <string>

enum LogLevel {
    LOG_INFO,
    LOG_NOTICE,
    LOG_WARN,
    LOG_ERROR,
    LOG_CRIT
};

void logMessage(LogLevel level, const std::string& message);
// An errno as nginx appends it to a message: "(2: No such file or directory)".
std::string errnoText(int error);
// A failed system call on a path, in nginx's words:
// open() "/srv/www/a" failed (2: No such file or directory)
std::string failedCall(const std::string& call, const std::string& path, int error);
// Points fd 2 at path (appending). False with *error set on failure.
bool openErrorLog(const std::string& path, std::string* error);

#endif

#ifndef WEBSERV_EXCHANGE_ACCESSLOG_HPP
#define WEBSERV_EXCHANGE_ACCESSLOG_HPP

// The access log in nginx's "combined" format. Lines are buffered and
// written out once per event-loop turn (flush), one file per distinct
// `access_log` path; "" is standard output and "off" logs nothing.

#include <sys/types.h>
#include <cstdio>
#include <map>
#include <string>

struct AccessRecord {
    std::string remoteAddress;
    std::string remoteUser;    // of Authorization: Basic, "" for none
    std::string requestLine;   // as received, also when it could not be parsed
    int status;
    off_t bodyBytes;
    std::string referer;
    std::string userAgent;
};

class AccessLog {
public:
    AccessLog();
    ~AccessLog();

    void write(const std::string& destination, const AccessRecord& record);
    void flush();
    // Closes the files so that the next write reopens them (log rotation).
    void reopen();

private:
    AccessLog(const AccessLog&);
    AccessLog& operator=(const AccessLog&);

    FILE* fileFor(const std::string& destination);

    std::map<std::string, FILE*> files_;
};

// One combined-format line, with its newline. Pure.
std::string formatAccessLine(const AccessRecord& record, time_t when);

#endif

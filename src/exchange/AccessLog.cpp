#include "exchange/AccessLog.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>

#include "util/Escape.hpp"
#include "util/Log.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

// "-" marks a value the request did not send; a request line that never
// arrived (a 408 before its end) stays "" instead, as in nginx's log.
std::string logField(const std::string& value)
{
    return value.empty() ? "-" : logEscape(value);
}

}

std::string formatAccessLine(const AccessRecord& record, time_t when)
{
    return record.remoteAddress + " - " + logField(record.remoteUser) + " [" + logTime(when)
        + "] \"" + logEscape(record.requestLine) + "\" "
        + toString(static_cast<long>(record.status)) + " "
        + toString(static_cast<long>(record.bodyBytes)) + " \"" + logField(record.referer)
        + "\" \"" + logField(record.userAgent) + "\"\n";
}

AccessLog::AccessLog()
{
}

AccessLog::~AccessLog()
{
    flush();
    reopen();
}

void AccessLog::write(const std::string& destination, const AccessRecord& record)
{
    if (destination == "off")
        return;
    FILE* file = fileFor(destination);
    if (!file)
        return;
    std::string line = formatAccessLine(record, time(0));
    std::fwrite(line.data(), 1, line.size(), file);
}

void AccessLog::flush()
{
    for (std::map<std::string, FILE*>::iterator it = files_.begin(); it != files_.end(); ++it)
        if (it->second)
            std::fflush(it->second);
}

void AccessLog::reopen()
{
    for (std::map<std::string, FILE*>::iterator it = files_.begin(); it != files_.end(); ++it) {
        if (it->second && it->second != stdout)
            std::fclose(it->second);
        else if (it->second)
            std::fflush(stdout);
    }
    files_.clear();
}

FILE* AccessLog::fileFor(const std::string& destination)
{
    std::map<std::string, FILE*>::iterator it = files_.find(destination);
    if (it != files_.end())
        return it->second;
    FILE* file = stdout;
    if (!destination.empty()) {
        file = std::fopen(destination.c_str(), "ae");
        if (!file) {
            logMessage(LOG_ERROR, "open() \"" + destination + "\" failed ("
                + std::strerror(errno) + "), its access log lines are dropped");
            // Remembered as 0 so the failure is reported once, not per request.
        }
    }
    files_[destination] = file;
    return file;
}

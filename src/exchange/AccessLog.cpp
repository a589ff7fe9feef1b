#include "exchange/AccessLog.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>

#include "util/Log.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

// Like nginx, escapes '"', '\' and non-printable bytes as \xHH so a
// request cannot forge log lines.
std::string logEscape(const std::string& value)
{
    static const char hex[] = "0123456789ABCDEF";
    if (value.empty())
        return "-";
    std::string out;
    for (std::string::size_type i = 0; i < value.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(value[i]);
        if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

}

std::string formatAccessLine(const AccessRecord& record, time_t when)
{
    std::string request = record.requestLine.empty() ? std::string() : logEscape(record.requestLine);
    return record.remoteAddress + " - - [" + logTime(when) + "] \"" + request + "\" "
        + toString(static_cast<long>(record.status)) + " "
        + toString(static_cast<long>(record.bodyBytes)) + " \"" + logEscape(record.referer)
        + "\" \"" + logEscape(record.userAgent) + "\"\n";
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

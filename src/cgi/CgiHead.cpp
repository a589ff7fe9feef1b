#include "cgi/CgiHead.hpp"

#include <cstring>
#include <vector>

#include "http/Grammar.hpp"
#include "util/Strings.hpp"

namespace {

bool parseStatus(const std::string& value, CgiHead* head)
{
    if (value.size() < 3 || !isDigit(value[0]) || !isDigit(value[1]) || !isDigit(value[2])
        || (value.size() > 3 && value[3] != ' '))
        return false;
    head->status = (value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0');
    head->reason = value.size() > 4 ? trimOws(value.substr(4)) : std::string();
    return head->status >= 100 && head->status <= 599;
}

// Fields a script may not set: the server frames the response itself.
bool isFramingField(const std::string& name)
{
    return iequals(name, "Transfer-Encoding") || iequals(name, "Connection")
        || iequals(name, "Keep-Alive");
}

std::vector<std::string> lines(const std::string& block)
{
    std::vector<std::string> result;
    std::string::size_type pos = 0;
    while (pos < block.size()) {
        std::string::size_type lf = block.find('\n', pos);
        if (lf == std::string::npos)
            lf = block.size();
        std::string line = block.substr(pos, lf - pos);
        if (!line.empty() && line[line.size() - 1] == '\r')
            line.erase(line.size() - 1);
        if (line.empty())
            break;
        result.push_back(line);
        pos = lf + 1;
    }
    return result;
}

}

size_t findCgiHeadEnd(const char* data, size_t len)
{
    for (size_t i = 0; i < len; ++i) {
        if (data[i] != '\n')
            continue;
        if (i + 1 < len && data[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && data[i + 1] == '\r' && data[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

bool parseCgiHead(const std::string& block, CgiHead* head)
{
    *head = CgiHead();
    bool hasStatus = false;
    std::vector<std::string> fields = lines(block);
    for (size_t i = 0; i < fields.size(); ++i) {
        std::string::size_type colon = fields[i].find(':');
        // A control byte (a bare CR above all) in a field would let a script
        // split the response the server writes.
        if (colon == std::string::npos || colon == 0 || containsCtl(fields[i]))
            return false;
        std::string name = trimOws(fields[i].substr(0, colon));
        std::string value = trimOws(fields[i].substr(colon + 1));
        if (name.empty())
            return false;       // " : x" would become ": x" in our response
        if (iequals(name, "Status")) {
            if (!parseStatus(value, head))
                return false;
            hasStatus = true;
        } else if (iequals(name, "Content-Length")) {
            const off_t max = static_cast<off_t>(~0UL >> 1);
            if (!parseDecimal(value, max, &head->contentLength))
                return false;
            head->hasContentLength = true;
        } else if (!isFramingField(name)) {
            if (iequals(name, "Location"))
                head->location = value;
            head->fields.add(name, value);
        }
    }
    // RFC 3875 wants Content-Type with a document; like nginx, a response
    // that at least says its Status is taken too.
    bool hasType = head->fields.count("Content-Type") > 0;
    if (head->location.empty())
        return hasType || hasStatus;
    head->localRedirect = head->location[0] == '/' && !hasStatus && fields.size() == 1;
    if (!hasStatus && !head->localRedirect)
        head->status = 302;
    return true;
}

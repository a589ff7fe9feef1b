#include "http/Uri.hpp"

#include <vector>

#include "util/Escape.hpp"
#include "util/Strings.hpp"

namespace {

bool percentDecode(const std::string& in, std::string* out)
{
    out->clear();
    out->reserve(in.size());
    for (std::string::size_type i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            *out += in[i];
            continue;
        }
        unsigned char byte;
        if (!percentEscapeAt(in, i, &byte) || byte == 0)
            return false;
        *out += static_cast<char>(byte);
        i += 2;
    }
    return true;
}

bool isHostChar(char c)
{
    // unreserved / sub-delims / pct-encoded of RFC 3986 reg-name, plus the
    // characters of an IP literal.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == '!'
        || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*'
        || c == '+' || c == ',' || c == ';' || c == '=';
}

bool allDigits(const std::string& s)
{
    for (std::string::size_type i = 0; i < s.size(); ++i)
        if (!isDigit(s[i]))
            return false;
    return true;
}

// The common case: no escapes, no dot segment, no empty segment. Such a
// path is its own normal form.
bool alreadyNormal(const std::string& path)
{
    if (path.empty() || path[0] != '/' || path.find('%') != std::string::npos)
        return false;
    for (std::string::size_type slash = 0; slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
        char next = slash + 1 < path.size() ? path[slash + 1] : '\0';
        if (next == '/' || next == '.')
            return false;
    }
    return true;
}

}

bool splitRequestTarget(const std::string& target, RequestTarget* out)
{
    RequestTarget result;
    std::string rest = target;
    if (rest.empty())
        return false;
    if (rest[0] != '/') {
        std::string lower = toLower(rest.substr(0, 8));
        std::string::size_type schemeEnd;
        if (startsWith(lower, "http://"))
            schemeEnd = 7;
        else if (startsWith(lower, "https://"))
            schemeEnd = 8;
        else
            return false;
        std::string::size_type pathStart = rest.find_first_of("/?", schemeEnd);
        if (pathStart == std::string::npos)
            pathStart = rest.size();
        result.authority = rest.substr(schemeEnd, pathStart - schemeEnd);
        if (result.authority.empty() || result.authority.find('@') != std::string::npos)
            return false;
        rest = rest.substr(pathStart);
        if (rest.empty() || rest[0] == '?')
            rest = "/" + rest;
    }
    std::string::size_type question = rest.find('?');
    result.hasQuery = question != std::string::npos;
    result.path = rest.substr(0, question);
    if (result.hasQuery)
        result.query = rest.substr(question + 1);
    *out = result;
    return true;
}

bool normalizePath(const std::string& rawPath, std::string* out)
{
    if (alreadyNormal(rawPath)) {
        *out = rawPath;
        return true;
    }
    std::string decoded;
    if (rawPath.empty() || rawPath[0] != '/' || !percentDecode(rawPath, &decoded))
        return false;
    return cleanPath(decoded, out);
}

bool cleanPath(const std::string& path, std::string* out)
{
    if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos)
        return false;
    std::vector<std::string> segments;
    bool trailingSlash = false;
    std::string::size_type pos = 1;
    while (pos <= path.size()) {
        std::string::size_type slash = path.find('/', pos);
        if (slash == std::string::npos)
            slash = path.size();
        std::string segment = path.substr(pos, slash - pos);
        bool last = slash == path.size();
        if (segment == "..") {
            if (segments.empty())
                return false;
            segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        if (last)
            trailingSlash = segment.empty() || segment == "." || segment == "..";
        pos = slash + 1;
    }
    std::string clean;
    for (size_t i = 0; i < segments.size(); ++i)
        clean += "/" + segments[i];
    if (clean.empty() || trailingSlash)
        clean += "/";
    *out = clean;
    return true;
}

bool normalizeHost(const std::string& value, std::string* host)
{
    std::string name = value;
    std::string port;
    if (!name.empty() && name[0] == '[') {
        std::string::size_type close = name.find(']');
        if (close == std::string::npos)
            return false;
        for (std::string::size_type i = 1; i < close; ++i)
            if (!(isHostChar(name[i]) || name[i] == ':'))
                return false;
        if (close + 1 < name.size()) {
            if (name[close + 1] != ':')
                return false;
            port = name.substr(close + 2);
        }
        name = name.substr(0, close + 1);
    } else {
        std::string::size_type colon = name.find(':');
        if (colon != std::string::npos) {
            port = name.substr(colon + 1);
            name = name.substr(0, colon);
        }
        for (std::string::size_type i = 0; i < name.size(); ++i)
            if (!isHostChar(name[i]))
                return false;
    }
    if (!allDigits(port) || name.find("..") != std::string::npos)
        return false;
    if (!name.empty() && name[name.size() - 1] == '.')
        name.erase(name.size() - 1);
    *host = toLower(name);
    return true;
}

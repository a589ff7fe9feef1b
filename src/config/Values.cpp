#include "config/Values.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "util/Strings.hpp"

namespace {

const off_t kMaxOffset = static_cast<off_t>(~0UL >> 1);

// Splits "123abc" into the number 123 and the suffix "abc".
bool splitNumber(const std::string& text, off_t* number, std::string* suffix)
{
    std::string::size_type digits = 0;
    while (digits < text.size() && isDigit(text[digits]))
        ++digits;
    if (digits == 0)
        return false;
    *suffix = text.substr(digits);
    return parseDecimal(text.substr(0, digits), kMaxOffset, number);
}

bool scale(off_t value, off_t factor, off_t max, off_t* out)
{
    if (value > max / factor)
        return false;
    *out = value * factor;
    return true;
}

bool parsePort(const std::string& text, unsigned short* port)
{
    off_t value;
    if (!parseDecimal(text, 65535, &value) || value == 0)
        return false;
    *port = static_cast<unsigned short>(value);
    return true;
}

bool parseHost(const std::string& text, ListenAddress* address)
{
    std::string host = text;
    if (host == "*")
        host = "0.0.0.0";
    else if (host == "localhost")
        host = "127.0.0.1";
    int family = AF_INET;
    if (host.size() >= 2 && host[0] == '[' && host[host.size() - 1] == ']') {
        host = host.substr(1, host.size() - 2);
        family = AF_INET6;
    }
    unsigned char binary[sizeof(struct in6_addr)];
    if (inet_pton(family, host.c_str(), binary) != 1)
        return false;
    char numeric[INET6_ADDRSTRLEN];
    inet_ntop(family, binary, numeric, sizeof numeric);
    address->family = family;
    address->host = numeric;
    return true;
}

}

bool parseSize(const std::string& text, off_t* out)
{
    off_t number;
    std::string unit;
    if (!splitNumber(text, &number, &unit))
        return false;
    unit = toLower(unit);
    off_t factor = unit.empty() ? 1 : unit == "k" ? 1024 : unit == "m" ? 1024 * 1024
        : unit == "g" ? 1024 * 1024 * 1024 : 0;
    return factor != 0 && scale(number, factor, kMaxOffset, out);
}

bool parseTime(const std::string& text, long* out)
{
    off_t number;
    std::string unit;
    if (!splitNumber(text, &number, &unit))
        return false;
    off_t factor = unit == "ms" ? 1 : (unit.empty() || unit == "s") ? 1000
        : unit == "m" ? 60 * 1000 : unit == "h" ? 3600 * 1000 : 0;
    // Bounded so that deadlines (now + timeout) never overflow a long.
    const off_t maxMs = 365L * 24 * 3600 * 1000;
    off_t ms;
    if (factor == 0 || !scale(number, factor, maxMs, &ms))
        return false;
    *out = static_cast<long>(ms);
    return true;
}

bool parseOnOff(const std::string& text, bool* out)
{
    if (!iequals(text, "on") && !iequals(text, "off"))
        return false;
    *out = iequals(text, "on");
    return true;
}

bool parsePositive(const std::string& text, long max, long* out)
{
    off_t value;
    if (!parseDecimal(text, max, &value) || value == 0)
        return false;
    *out = static_cast<long>(value);
    return true;
}

ListenParse parseListen(const std::string& text, ListenAddress* out, std::string* badPart)
{
    std::string hostPart;
    std::string portPart;
    bool hasPort = true;
    if (!text.empty() && text[0] == '[') {
        std::string::size_type close = text.find(']');
        bool portFollows = close != std::string::npos && close + 1 < text.size();
        if (close == std::string::npos || (portFollows && text[close + 1] != ':')) {
            *badPart = text;
            return LISTEN_BAD_ADDRESS;
        }
        hostPart = text.substr(0, close + 1);
        hasPort = portFollows;
        if (portFollows)
            portPart = text.substr(close + 2);
    } else if (text.find(':') != std::string::npos) {
        std::string::size_type colon = text.rfind(':');
        if (colon == 0) {
            *badPart = text;
            return LISTEN_BAD_ADDRESS;
        }
        hostPart = text.substr(0, colon);
        portPart = text.substr(colon + 1);
    } else if (text.find('.') != std::string::npos || text == "*" || text == "localhost") {
        hostPart = text;
        hasPort = false;
    } else {
        portPart = text;
    }
    ListenAddress address;
    if (!hostPart.empty() && !parseHost(hostPart, &address)) {
        *badPart = hostPart;
        return LISTEN_BAD_ADDRESS;
    }
    address.port = 80;
    if (hasPort && !parsePort(portPart, &address.port)) {
        *badPart = portPart;
        return LISTEN_BAD_PORT;
    }
    *out = address;
    return LISTEN_OK;
}

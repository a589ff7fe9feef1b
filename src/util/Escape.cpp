#include "util/Escape.hpp"

#include "util/Strings.hpp"

namespace {

bool isNotUnreserved(unsigned char c)
{
    return !isUnreserved(c);
}

bool isNotPathChar(unsigned char c)
{
    return !isUnreserved(c) && c != '/';
}

bool isUnsafeInLog(unsigned char c)
{
    return c < 0x20 || c >= 0x7F || c == '"' || c == '\\';
}

}

void appendHexByte(std::string& out, unsigned char byte, HexCase hexCase)
{
    static const char upper[] = "0123456789ABCDEF";
    static const char lower[] = "0123456789abcdef";
    const char* digits = hexCase == UPPER_HEX ? upper : lower;
    out += digits[byte >> 4];
    out += digits[byte & 0xF];
}

std::string hexEscape(const std::string& s, bool (*mustEscape)(unsigned char),
    const char* prefix, HexCase hexCase)
{
    std::string out;
    out.reserve(s.size());
    for (std::string::size_type i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (mustEscape(c)) {
            out += prefix;
            appendHexByte(out, c, hexCase);
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

bool isUnreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percentEncode(const std::string& s)
{
    return hexEscape(s, isNotUnreserved, "%", UPPER_HEX);
}

std::string percentEncodePath(const std::string& s)
{
    return hexEscape(s, isNotPathChar, "%", UPPER_HEX);
}

bool percentEscapeAt(const std::string& s, size_t i, unsigned char* byte)
{
    if (s[i] != '%' || i + 2 >= s.size())
        return false;
    int high = hexDigitValue(s[i + 1]);
    int low = hexDigitValue(s[i + 2]);
    if (high < 0 || low < 0)
        return false;
    *byte = static_cast<unsigned char>(high * 16 + low);
    return true;
}

std::string percentDecodeLenient(const std::string& s, bool plusIsSpace)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char byte;
        if (percentEscapeAt(s, i, &byte)) {
            out += static_cast<char>(byte);
            i += 2;
        } else {
            out += plusIsSpace && s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

std::string htmlEscape(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (std::string::size_type i = 0; i < s.size(); ++i) {
        switch (s[i]) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += s[i];
        }
    }
    return out;
}

std::string jsonQuote(const std::string& s)
{
    std::string out = "\"";
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            out += "\\u00";
            appendHexByte(out, c, LOWER_HEX);
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string jsonEscapeAsNginx(const std::string& s)
{
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c > 0x1f) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += static_cast<char>(c);
            continue;
        }
        out += '\\';
        switch (c) {
        case '\n': out += 'n'; break;
        case '\r': out += 'r'; break;
        case '\t': out += 't'; break;
        case '\b': out += 'b'; break;
        case '\f': out += 'f'; break;
        default:
            out += "u00";
            appendHexByte(out, c, UPPER_HEX);
        }
    }
    return out;
}

std::string logEscape(const std::string& s)
{
    return hexEscape(s, isUnsafeInLog, "\\x", UPPER_HEX);
}

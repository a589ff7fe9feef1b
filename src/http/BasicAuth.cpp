#include "http/BasicAuth.hpp"

#include "util/Strings.hpp"

namespace {

// The value of a base64 digit, -1 for a byte outside the alphabet.
int base64Digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

}

bool decodeBase64(const std::string& text, std::string* out)
{
    size_t length = text.find('=');
    if (length == std::string::npos)
        length = text.size();
    if (length % 4 == 1)
        return false;
    out->clear();
    unsigned long bits = 0;
    int held = 0;
    for (size_t i = 0; i < length; ++i) {
        int digit = base64Digit(static_cast<unsigned char>(text[i]));
        if (digit < 0)
            return false;
        bits = (bits << 6 | static_cast<unsigned long>(digit)) & 0xFFFFFF;
        held += 6;
        if (held >= 8) {
            held -= 8;
            *out += static_cast<char>((bits >> held) & 0xFF);
        }
    }
    return true;
}

bool basicAuthUser(const std::string& value, std::string* user)
{
    const std::string scheme = "Basic ";
    if (value.size() < scheme.size() || !iequals(value.substr(0, scheme.size()), scheme))
        return false;
    size_t start = value.find_first_not_of(' ', scheme.size());
    std::string decoded;
    if (start == std::string::npos || !decodeBase64(value.substr(start), &decoded))
        return false;
    size_t colon = decoded.find(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    *user = decoded.substr(0, colon);
    return true;
}

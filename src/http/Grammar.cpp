#include "http/Grammar.hpp"

#include <cstring>

bool isTchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != 0);   // strchr finds the NUL too
}

bool isToken(const char* s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; ++i)
        if (!isTchar(static_cast<unsigned char>(s[i])))
            return false;
    return true;
}

bool isCtl(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7F;
}

bool containsCtl(const char* s, size_t len)
{
    for (size_t i = 0; i < len; ++i)
        if (isCtl(static_cast<unsigned char>(s[i])))
            return true;
    return false;
}

bool containsCtl(const std::string& s)
{
    return containsCtl(s.data(), s.size());
}

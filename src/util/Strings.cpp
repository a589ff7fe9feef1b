#include "util/Strings.hpp"

#include <cstdio>

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string toLower(const std::string& s)
{
    std::string out(s);
    for (std::string::size_type i = 0; i < out.size(); ++i)
        out[i] = asciiLower(out[i]);
    return out;
}

bool iequals(const std::string& a, const std::string& b)
{
    if (a.size() != b.size())
        return false;
    for (std::string::size_type i = 0; i < a.size(); ++i)
        if (asciiLower(a[i]) != asciiLower(b[i]))
            return false;
    return true;
}

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size()
        && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void clearBuffer(std::string& buffer, size_t keepCapacity)
{
    if (buffer.capacity() > keepCapacity)
        std::string().swap(buffer);
    else
        buffer.clear();
}

void appendExactly(std::string& buffer, const char* data, size_t len)
{
    const size_t grain = 4096;
    size_t needed = buffer.size() + len;
    if (needed <= buffer.capacity() || buffer.empty()) {
        buffer.append(data, len);       // into an empty one: len bytes, no more
        return;
    }
    // A fresh string: libstdc++'s reserve() on the old one would double.
    std::string grown;
    grown.reserve((needed + grain - 1) / grain * grain);
    grown.append(buffer);
    grown.append(data, len);
    buffer.swap(grown);
}

std::vector<std::string> splitAny(const std::string& s, const char* separators)
{
    std::vector<std::string> pieces;
    std::string::size_type pos = 0;
    while (pos < s.size()) {
        std::string::size_type start = s.find_first_not_of(separators, pos);
        if (start == std::string::npos)
            break;
        std::string::size_type end = s.find_first_of(separators, start);
        if (end == std::string::npos)
            end = s.size();
        pieces.push_back(s.substr(start, end - start));
        pos = end;
    }
    return pieces;
}

std::string trimOws(const std::string& s)
{
    std::string::size_type start = s.find_first_not_of(" \t");
    if (start == std::string::npos)
        return std::string();
    std::string::size_type end = s.find_last_not_of(" \t");
    return s.substr(start, end - start + 1);
}

// Digits written backwards into a small buffer: on the path of every
// response (status, Content-Length), where snprintf's generality costs.
std::string toString(unsigned long n)
{
    char buf[24];
    char* end = buf + sizeof buf;
    char* p = end;
    do {
        *--p = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n != 0);
    return std::string(p, end);
}

std::string toString(long n)
{
    if (n >= 0)
        return toString(static_cast<unsigned long>(n));
    // -(n + 1) + 1 avoids overflowing on the most negative long.
    return "-" + toString(static_cast<unsigned long>(-(n + 1)) + 1);
}

std::string toHex(unsigned long n)
{
    static const char digits[] = "0123456789abcdef";
    char buf[24];
    char* end = buf + sizeof buf;
    char* p = end;
    do {
        *--p = digits[n & 0xF];
        n >>= 4;
    } while (n != 0);
    return std::string(p, end);
}

bool parseDecimal(const std::string& s, off_t max, off_t* out)
{
    if (s.empty())
        return false;
    off_t value = 0;
    for (std::string::size_type i = 0; i < s.size(); ++i) {
        if (!isDigit(s[i]))
            return false;
        int digit = s[i] - '0';
        if (value > (max - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    *out = value;
    return true;
}

size_t heapBytes(const std::string& s)
{
    size_t capacity = s.capacity() + 1;
    return capacity > sizeof(std::string) ? capacity : 0;
}

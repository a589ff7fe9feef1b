#include "handlers/UploadNames.hpp"

#include "util/Strings.hpp"

namespace {

const size_t kMaxNameBytes = 200;

// Cuts s to at most max bytes without splitting a UTF-8 sequence.
std::string cutUtf8(const std::string& s, size_t max)
{
    if (s.size() <= max)
        return s;
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80)
        --end;
    return s.substr(0, end);
}

// U+202A..U+202E and U+2066..U+2069, the bidirectional controls that can
// make "exe.txt" display as "txt.exe": E2 80 AA..AE and E2 81 A6..A9.
bool isBidiControl(const std::string& s, size_t i)
{
    if (i + 2 >= s.size() || static_cast<unsigned char>(s[i]) != 0xE2)
        return false;
    unsigned char b1 = static_cast<unsigned char>(s[i + 1]);
    unsigned char b2 = static_cast<unsigned char>(s[i + 2]);
    return (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9);
}

}

std::string sanitizeFilename(const std::string& raw)
{
    std::string::size_type slash = raw.find_last_of("/\\");
    std::string base = slash == std::string::npos ? raw : raw.substr(slash + 1);
    std::string clean;
    for (size_t i = 0; i < base.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(base[i]);
        if (isBidiControl(base, i))
            i += 2;
        else if (c >= 0x20 && c != 0x7F)
            clean += static_cast<char>(c);
    }
    std::string::size_type first = clean.find_first_not_of(". \t");
    std::string::size_type last = clean.find_last_not_of(" \t");
    if (first == std::string::npos)
        return std::string();
    clean = clean.substr(first, last - first + 1);
    if (clean.size() <= kMaxNameBytes)
        return clean;
    std::string::size_type dot = clean.rfind('.');
    std::string extension = (dot != std::string::npos && clean.size() - dot <= 16)
        ? clean.substr(dot) : std::string();
    std::string stem = cutUtf8(clean.substr(0, clean.size() - extension.size()),
        kMaxNameBytes - extension.size());
    stem = stem.substr(0, stem.find_last_not_of(" \t.") + 1);
    // A stem cut away entirely would leave a hidden ".ext": no name then.
    return stem.empty() ? std::string() : stem + extension;
}

std::string numberedName(const std::string& name, int n)
{
    std::string suffix = "-" + toString(static_cast<long>(n));
    std::string::size_type dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0)
        return name + suffix;
    return name.substr(0, dot) + suffix + name.substr(dot);
}

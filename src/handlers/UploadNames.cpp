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

}

std::string sanitizeFilename(const std::string& raw)
{
    std::string::size_type slash = raw.find_last_of("/\\");
    std::string base = slash == std::string::npos ? raw : raw.substr(slash + 1);
    std::string clean;
    for (size_t i = 0; i < base.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(base[i]);
        if (c >= 0x20 && c != 0x7F)
            clean += static_cast<char>(c);
    }
    clean = trimOws(clean);
    std::string::size_type firstKept = clean.find_first_not_of('.');
    if (firstKept == std::string::npos)
        return std::string();
    clean.erase(0, firstKept);
    if (clean.size() <= kMaxNameBytes)
        return clean;
    std::string::size_type dot = clean.rfind('.');
    std::string extension = (dot != std::string::npos && clean.size() - dot <= 16)
        ? clean.substr(dot) : std::string();
    return cutUtf8(clean.substr(0, clean.size() - extension.size()), kMaxNameBytes - extension.size())
        + extension;
}

std::string numberedName(const std::string& name, int n)
{
    std::string suffix = "-" + toString(static_cast<long>(n));
    std::string::size_type dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0)
        return name + suffix;
    return name.substr(0, dot) + suffix + name.substr(dot);
}

// Address ranges of allow/deny rules: parsing and matching.

#include "util/AddressRange.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

namespace {

const unsigned char kMappedPrefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };

bool isMappedIpv4(const IpAddress& address)
{
    return address.family == AF_INET6 && std::memcmp(address.bytes, kMappedPrefix, 12) == 0;
}

// nginx's prefix length: decimal digits only, at most the address's bits.
bool parsePrefix(const std::string& text, unsigned maxBits, unsigned* out)
{
    if (text.empty() || text.size() > 3)
        return false;
    unsigned value = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    if (value > maxBits)
        return false;
    *out = value;
    return true;
}

// Clears the bits past prefix; true when one of them was set.
bool clearHostBits(IpAddress& address, unsigned prefix)
{
    size_t length = address.family == AF_INET ? 4 : 16;
    bool wasSet = false;
    for (size_t i = 0; i < length; ++i) {
        unsigned keep = prefix >= (i + 1) * 8 ? 8 : prefix > i * 8 ? prefix - i * 8 : 0;
        unsigned char mask = static_cast<unsigned char>(0xFF00u >> keep);
        if (address.bytes[i] & ~mask)
            wasSet = true;
        address.bytes[i] &= mask;
    }
    return wasSet;
}

bool prefixMatches(const unsigned char* a, const unsigned char* b, unsigned prefix)
{
    size_t whole = prefix / 8;
    if (std::memcmp(a, b, whole) != 0)
        return false;
    unsigned rest = prefix % 8;
    if (rest == 0)
        return true;
    unsigned char mask = static_cast<unsigned char>(0xFF00u >> rest);
    return (a[whole] & mask) == (b[whole] & mask);
}

}

IpAddress::IpAddress() : family(0)
{
    std::memset(bytes, 0, sizeof bytes);
}

AddressRange::AddressRange() : all(false), prefix(0)
{
}

bool parseIpAddress(const std::string& text, IpAddress* out)
{
    IpAddress address;
    if (text.find(':') == std::string::npos) {
        address.family = AF_INET;
        if (inet_pton(AF_INET, text.c_str(), address.bytes) != 1)
            return false;
    } else {
        address.family = AF_INET6;
        if (inet_pton(AF_INET6, text.c_str(), address.bytes) != 1)
            return false;
    }
    if (text.find('\0') != std::string::npos)
        return false;
    *out = address;
    return true;
}

AddressRangeParse parseAddressRange(const std::string& text, AddressRange* out)
{
    AddressRange range;
    if (text == "all") {
        range.all = true;
        *out = range;
        return RANGE_OK;
    }
    std::string::size_type slash = text.find('/');
    if (!parseIpAddress(text.substr(0, slash), &range.base))
        return RANGE_INVALID;
    unsigned bits = range.base.family == AF_INET ? 32 : 128;
    range.prefix = bits;
    if (slash != std::string::npos && !parsePrefix(text.substr(slash + 1), bits, &range.prefix))
        return RANGE_INVALID;
    bool hostBits = clearHostBits(range.base, range.prefix);
    *out = range;
    return hostBits ? RANGE_HOST_BITS_SET : RANGE_OK;
}

bool rangeContains(const AddressRange& range, const IpAddress& address)
{
    if (range.all)
        return true;
    if (range.base.family == AF_INET && isMappedIpv4(address))
        return prefixMatches(range.base.bytes, address.bytes + 12, range.prefix);
    if (range.base.family != address.family)
        return false;
    return prefixMatches(range.base.bytes, address.bytes, range.prefix);
}

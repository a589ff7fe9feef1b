#ifndef WEBSERV_UTIL_ADDRESSRANGE_HPP
#define WEBSERV_UTIL_ADDRESSRANGE_HPP

// IP addresses and the ranges of allow/deny rules (nginx's access module):
// "all", one address, or ADDRESS/BITS, IPv4 or IPv6. Pure.

#include <string>

// A numeric address: 4 bytes (AF_INET) or 16 (AF_INET6), network order.
struct IpAddress {
    int family;
    unsigned char bytes[16];

    IpAddress();
};

// From its text ("127.0.0.1", "::1", "::ffff:10.0.0.1"), as
// inet_pton(3) reads it; false for anything else (no port, no brackets,
// no zone "%eth0").
bool parseIpAddress(const std::string& text, IpAddress* out);

struct AddressRange {
    bool all;                   // matches every address of both families
    IpAddress base;             // the range's first address (host bits cleared)
    unsigned prefix;            // leading bits that must match: 0..32 / 0..128

    AddressRange();
};

enum AddressRangeParse {
    RANGE_OK,
    RANGE_HOST_BITS_SET,        // "10.0.0.1/8": valid, the host bits were
                                // cleared (nginx warns "low address bits of
                                // 10.0.0.1/8 are meaningless")
    RANGE_INVALID
};

// "all", an address (a /32 or /128), or ADDRESS/BITS with BITS in
// 0..32 (IPv4) or 0..128 (IPv6), decimal without sign or leading '+'.
AddressRangeParse parseAddressRange(const std::string& text, AddressRange* out);

// Whether address is in range. An IPv4-mapped IPv6 address
// (::ffff:a.b.c.d, what a dual-stack socket reports for an IPv4 client)
// is matched as the IPv4 address a.b.c.d against IPv4 ranges, as nginx
// does; IPv6 ranges see it as IPv6.
bool rangeContains(const AddressRange& range, const IpAddress& address);

#endif

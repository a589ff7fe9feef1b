// Address ranges of allow/deny: parsing (nginx's forms) and matching, IPv4,
// IPv6, and IPv4 clients seen through a dual-stack socket.

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <string>
#include <vector>

#include "util/AddressRange.hpp"

namespace {

AddressRange rangeOf(const std::string& text)
{
    AddressRange range;
    EXPECT_NE(RANGE_INVALID, parseAddressRange(text, &range)) << text;
    return range;
}

bool contains(const std::string& range, const std::string& address)
{
    IpAddress ip;
    EXPECT_TRUE(parseIpAddress(address, &ip)) << address;
    return rangeContains(rangeOf(range), ip);
}

TEST(AddressRangeTest, Ipv4Ranges)
{
    EXPECT_TRUE(contains("127.0.0.1", "127.0.0.1"));
    EXPECT_FALSE(contains("127.0.0.1", "127.0.0.2"));
    EXPECT_TRUE(contains("127.0.0.1/32", "127.0.0.1"));
    EXPECT_TRUE(contains("10.0.0.0/8", "10.255.3.4"));
    EXPECT_FALSE(contains("10.0.0.0/8", "11.0.0.0"));
    EXPECT_TRUE(contains("192.168.1.128/25", "192.168.1.200"));
    EXPECT_FALSE(contains("192.168.1.128/25", "192.168.1.127"));
    EXPECT_TRUE(contains("0.0.0.0/0", "203.0.113.9"));
    EXPECT_FALSE(contains("0.0.0.0/0", "::1"));         // /0 of IPv4 is every IPv4 only
}

TEST(AddressRangeTest, Ipv6Ranges)
{
    EXPECT_TRUE(contains("::1", "::1"));
    EXPECT_TRUE(contains("::1/128", "0:0:0:0:0:0:0:1"));
    EXPECT_FALSE(contains("::1/128", "::2"));
    EXPECT_TRUE(contains("2001:db8::/32", "2001:db8:ffff::1"));
    EXPECT_FALSE(contains("2001:db8::/32", "2001:db9::1"));
    EXPECT_TRUE(contains("fe80::/10", "febf::1"));
    EXPECT_FALSE(contains("fe80::/10", "fec0::1"));
    EXPECT_TRUE(contains("::/0", "2001:db8::1"));
    EXPECT_FALSE(contains("::/0", "127.0.0.1"));
    EXPECT_FALSE(contains("::1", "127.0.0.1"));
}

TEST(AddressRangeTest, MappedIpv4ClientsMatchIpv4Rules)
{
    EXPECT_TRUE(contains("127.0.0.0/8", "::ffff:127.0.0.1"));
    EXPECT_TRUE(contains("127.0.0.1", "::ffff:127.0.0.1"));
    EXPECT_FALSE(contains("10.0.0.0/8", "::ffff:127.0.0.1"));
    EXPECT_TRUE(contains("0.0.0.0/0", "::ffff:1.2.3.4"));
    EXPECT_FALSE(contains("::1/128", "::ffff:127.0.0.1"));
    // As an IPv6 range, the mapped block is IPv6.
    EXPECT_TRUE(contains("::ffff:0:0/96", "::ffff:127.0.0.1"));
    EXPECT_FALSE(contains("::ffff:0:0/96", "127.0.0.1"));
}

TEST(AddressRangeTest, AllMatchesEveryAddress)
{
    for (const char* address : { "127.0.0.1", "::1", "::ffff:10.0.0.1", "2001:db8::1" })
        EXPECT_TRUE(contains("all", address)) << address;
}

TEST(AddressRangeTest, HostBitsAreClearedAndReported)
{
    AddressRange range;
    EXPECT_EQ(RANGE_HOST_BITS_SET, parseAddressRange("10.1.2.3/8", &range));
    EXPECT_EQ(8u, range.prefix);
    EXPECT_EQ(10, range.base.bytes[0]);
    EXPECT_EQ(0, range.base.bytes[1]);
    EXPECT_EQ(0, range.base.bytes[3]);
    EXPECT_EQ(RANGE_HOST_BITS_SET, parseAddressRange("2001:db8::1/32", &range));
    EXPECT_EQ(RANGE_OK, parseAddressRange("10.0.0.0/8", &range));
    EXPECT_EQ(RANGE_OK, parseAddressRange("192.168.1.128/25", &range));
    EXPECT_EQ(RANGE_HOST_BITS_SET, parseAddressRange("192.168.1.129/25", &range));
}

TEST(AddressRangeTest, InvalidRangesAreRefused)
{
    for (const char* text : { "", "1.2.3", "1.2.3.4/33", "::1/129", "1.2.3.4/", "/8",
             "1.2.3.4/-1", "1.2.3.4/ 8", "1.2.3.4/+8", "all/8", "ALL", "[::1]", "::1%lo",
             "1.2.3.4:80", "1.2.3.4/8/8", "localhost", "1.2.3.4 ", "300.1.1.1", "1.2.3.4/0x8",
             "1.2.3.4/1000" }) {
        AddressRange range;
        EXPECT_EQ(RANGE_INVALID, parseAddressRange(text, &range)) << "\"" << text << "\"";
    }
}

TEST(AddressRangeTest, AddressesAreReadAsInetPtonReadsThem)
{
    IpAddress ip;
    ASSERT_TRUE(parseIpAddress("192.0.2.1", &ip));
    EXPECT_EQ(AF_INET, ip.family);
    EXPECT_EQ(192, ip.bytes[0]);
    EXPECT_EQ(1, ip.bytes[3]);
    ASSERT_TRUE(parseIpAddress("::1", &ip));
    EXPECT_EQ(1, ip.bytes[15]);
    EXPECT_FALSE(parseIpAddress("", &ip));
    EXPECT_FALSE(parseIpAddress("::1%lo", &ip));
    EXPECT_FALSE(parseIpAddress(std::string("1.2.3.4\0", 8), &ip));
}

// allow/deny are checked in order and the first match decides: what the
// access phase does with a list of ranges.
TEST(AddressRangeTest, FirstMatchingRuleDecides)
{
    struct Rule {
        bool allow;
        const char* range;
    };
    const std::vector<Rule> rules = {
        { false, "192.168.1.1" }, { true, "192.168.1.0/24" }, { true, "2001:db8::/32" },
        { false, "all" } };
    auto allowed = [&](const std::string& address) {
        IpAddress ip;
        EXPECT_TRUE(parseIpAddress(address, &ip));
        for (const Rule& rule : rules)
            if (rangeContains(rangeOf(rule.range), ip))
                return rule.allow;
        return true;
    };
    EXPECT_FALSE(allowed("192.168.1.1"));
    EXPECT_TRUE(allowed("192.168.1.2"));
    EXPECT_TRUE(allowed("::ffff:192.168.1.2"));
    EXPECT_FALSE(allowed("::ffff:192.168.1.1"));
    EXPECT_TRUE(allowed("2001:db8::5"));
    EXPECT_FALSE(allowed("10.0.0.1"));
    EXPECT_FALSE(allowed("::1"));
}

}

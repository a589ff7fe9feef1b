// The value parsers behind directive arguments (src/config/Values.cpp).

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "config/Values.hpp"

namespace {

const off_t kUntouchedSize = -7;
const long kUntouched = -7;

::testing::AssertionResult sizeIs(const char* text, off_t expected)
{
    off_t value = kUntouchedSize;
    if (!parseSize(text, &value))
        return ::testing::AssertionFailure() << "parseSize(\"" << text << "\") failed";
    if (value != expected)
        return ::testing::AssertionFailure() << "parseSize(\"" << text << "\") = " << value
                                             << ", expected " << expected;
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult sizeRejected(const char* text)
{
    off_t value = kUntouchedSize;
    if (parseSize(text, &value))
        return ::testing::AssertionFailure() << "parseSize(\"" << text << "\") accepted: " << value;
    if (value != kUntouchedSize)
        return ::testing::AssertionFailure() << "parseSize(\"" << text << "\") wrote " << value;
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult timeIs(const char* text, long expectedMs)
{
    long value = kUntouched;
    if (!parseTime(text, &value))
        return ::testing::AssertionFailure() << "parseTime(\"" << text << "\") failed";
    if (value != expectedMs)
        return ::testing::AssertionFailure() << "parseTime(\"" << text << "\") = " << value
                                             << ", expected " << expectedMs;
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult timeRejected(const char* text)
{
    long value = kUntouched;
    if (parseTime(text, &value))
        return ::testing::AssertionFailure() << "parseTime(\"" << text << "\") accepted: " << value;
    if (value != kUntouched)
        return ::testing::AssertionFailure() << "parseTime(\"" << text << "\") wrote " << value;
    return ::testing::AssertionSuccess();
}

struct ListenResult {
    ListenParse result;
    ListenAddress address;
    std::string bad;
};

ListenResult listen(const std::string& text)
{
    ListenResult r;
    r.address.family = -1;
    r.address.host = "untouched";
    r.address.port = 1;
    r.bad = "untouched";
    r.result = parseListen(text, &r.address, &r.bad);
    return r;
}

}

// ---------------------------------------------------------------- SIZE

TEST(ConfigValuesTestParseSize, PlainBytes)
{
    EXPECT_TRUE(sizeIs("0", 0));
    EXPECT_TRUE(sizeIs("1", 1));
    EXPECT_TRUE(sizeIs("1000", 1000));
    EXPECT_TRUE(sizeIs("007", 7));
}

TEST(ConfigValuesTestParseSize, UnitsAreBinaryMultiplesAndCaseInsensitive)
{
    EXPECT_TRUE(sizeIs("1k", 1024));
    EXPECT_TRUE(sizeIs("1K", 1024));
    EXPECT_TRUE(sizeIs("10k", 10240));
    EXPECT_TRUE(sizeIs("1m", 1048576));
    EXPECT_TRUE(sizeIs("1M", 1048576));
    EXPECT_TRUE(sizeIs("100m", 104857600));
    EXPECT_TRUE(sizeIs("1g", 1073741824));
    EXPECT_TRUE(sizeIs("3G", 3221225472LL));
    EXPECT_TRUE(sizeIs("0m", 0));
}

TEST(ConfigValuesTestParseSize, RejectsMalformedValuesAndLeavesOutputAlone)
{
    EXPECT_TRUE(sizeRejected(""));
    EXPECT_TRUE(sizeRejected("k"));
    EXPECT_TRUE(sizeRejected("m"));
    EXPECT_TRUE(sizeRejected("10x"));
    EXPECT_TRUE(sizeRejected("10kb"));
    EXPECT_TRUE(sizeRejected("10 k"));
    EXPECT_TRUE(sizeRejected(" 10"));
    EXPECT_TRUE(sizeRejected("-1"));
    EXPECT_TRUE(sizeRejected("+1"));
    EXPECT_TRUE(sizeRejected("1.5m"));
    EXPECT_TRUE(sizeRejected("1t"));
}

TEST(ConfigValuesTestParseSize, RejectsOverflow)
{
    EXPECT_TRUE(sizeIs("9223372036854775807", static_cast<off_t>(9223372036854775807LL)));
    EXPECT_TRUE(sizeRejected("9223372036854775808"));
    EXPECT_TRUE(sizeRejected("99999999999999999999999"));
    EXPECT_TRUE(sizeIs("8589934591g", static_cast<off_t>(8589934591LL) * 1073741824LL));
    EXPECT_TRUE(sizeRejected("8589934592g"));
    EXPECT_TRUE(sizeRejected("9007199254740992k"));
}

// ---------------------------------------------------------------- TIME

TEST(ConfigValuesTestParseTime, BareNumberIsSeconds)
{
    EXPECT_TRUE(timeIs("0", 0));
    EXPECT_TRUE(timeIs("1", 1000));
    EXPECT_TRUE(timeIs("75", 75000));
}

TEST(ConfigValuesTestParseTime, Units)
{
    EXPECT_TRUE(timeIs("500ms", 500));
    EXPECT_TRUE(timeIs("0ms", 0));
    EXPECT_TRUE(timeIs("5s", 5000));
    EXPECT_TRUE(timeIs("2m", 120000));
    EXPECT_TRUE(timeIs("30m", 1800000));
    EXPECT_TRUE(timeIs("1h", 3600000));
    EXPECT_TRUE(timeIs("24h", 86400000));
}

TEST(ConfigValuesTestParseTime, RejectsMalformedValuesAndLeavesOutputAlone)
{
    EXPECT_TRUE(timeRejected(""));
    EXPECT_TRUE(timeRejected("s"));
    EXPECT_TRUE(timeRejected("ms"));
    EXPECT_TRUE(timeRejected("5x"));
    EXPECT_TRUE(timeRejected("5sec"));
    EXPECT_TRUE(timeRejected("5 s"));
    EXPECT_TRUE(timeRejected("-5"));
    EXPECT_TRUE(timeRejected("1.5s"));
    EXPECT_TRUE(timeRejected("1h30m"));   // the contract: one number, one unit
    // Units are case-sensitive, as in nginx ("M" would be months there).
    EXPECT_TRUE(timeRejected("5S"));
    EXPECT_TRUE(timeRejected("5MS"));
    EXPECT_TRUE(timeRejected("1H"));
}

TEST(ConfigValuesTestParseTime, BoundedToOneYear)
{
    EXPECT_TRUE(timeIs("8760h", 31536000000L));
    EXPECT_TRUE(timeIs("31536000", 31536000000L));
    EXPECT_TRUE(timeIs("31536000000ms", 31536000000L));
    EXPECT_TRUE(timeRejected("8761h"));
    EXPECT_TRUE(timeRejected("31536001"));
    EXPECT_TRUE(timeRejected("31536000001ms"));
    EXPECT_TRUE(timeRejected("99999999999999999999999"));
}

// ---------------------------------------------------------------- ON/OFF

TEST(ConfigValuesTestParseOnOff, OnAndOff)
{
    bool value = false;
    EXPECT_TRUE(parseOnOff("on", &value));
    EXPECT_TRUE(value);
    EXPECT_TRUE(parseOnOff("off", &value));
    EXPECT_FALSE(value);
}

TEST(ConfigValuesTestParseOnOff, RejectsOtherWordsAndLeavesOutputAlone)
{
    const char* bad[] = { "", "yes", "no", "true", "1", "0", "onn", " on", "on ", "of" };
    for (const char* text : bad) {
        bool value = true;
        EXPECT_FALSE(parseOnOff(text, &value)) << text;
        EXPECT_TRUE(value) << text;
        value = false;
        EXPECT_FALSE(parseOnOff(text, &value)) << text;
        EXPECT_FALSE(value) << text;
    }
}

TEST(ConfigValuesTestParseOnOff, IsCaseInsensitiveLikeNginx)
{
    // nginx (ngx_conf_set_flag_slot uses ngx_strcasecmp) accepts any case.
    bool value = false;
    EXPECT_TRUE(parseOnOff("ON", &value));
    EXPECT_TRUE(value);
    EXPECT_TRUE(parseOnOff("Off", &value));
    EXPECT_FALSE(value);
}

// ---------------------------------------------------------------- POSITIVE

TEST(ConfigValuesTestParsePositive, AcceptsOneToMax)
{
    long value = kUntouched;
    EXPECT_TRUE(parsePositive("1", 10, &value));
    EXPECT_EQ(1, value);
    EXPECT_TRUE(parsePositive("10", 10, &value));
    EXPECT_EQ(10, value);
    EXPECT_TRUE(parsePositive("0042", 100, &value));
    EXPECT_EQ(42, value);
    EXPECT_TRUE(parsePositive("1000000000", 1000000000L, &value));
    EXPECT_EQ(1000000000L, value);
}

TEST(ConfigValuesTestParsePositive, RejectsZeroAboveMaxAndNonDigits)
{
    const char* bad[] = { "0", "000", "11", "", "-1", "+1", "1a", "a", " 1", "1.0" };
    for (const char* text : bad) {
        long value = kUntouched;
        EXPECT_FALSE(parsePositive(text, 10, &value)) << text;
        EXPECT_EQ(kUntouched, value) << text;
    }
    long value = kUntouched;
    EXPECT_FALSE(parsePositive("99999999999999999999999", 1000000000L, &value));
    EXPECT_EQ(kUntouched, value);
}

// ---------------------------------------------------------------- LISTEN

TEST(ConfigValuesTestParseListen, BarePortListensOnAllIpv4Addresses)
{
    ListenResult r = listen("8080");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(AF_INET, r.address.family);
    EXPECT_EQ("0.0.0.0", r.address.host);
    EXPECT_EQ(8080, r.address.port);
    EXPECT_EQ("untouched", r.bad);

    r = listen("1");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(1, r.address.port);
    r = listen("65535");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(65535, r.address.port);
}

TEST(ConfigValuesTestParseListen, Ipv4AddressAndPort)
{
    ListenResult r = listen("127.0.0.1:8080");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(AF_INET, r.address.family);
    EXPECT_EQ("127.0.0.1", r.address.host);
    EXPECT_EQ(8080, r.address.port);
    EXPECT_EQ("127.0.0.1:8080", r.address.toString());
    EXPECT_FALSE(r.address.isWildcard());

    r = listen("10.1.2.3:443");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ("10.1.2.3", r.address.host);
    EXPECT_EQ(443, r.address.port);
}

TEST(ConfigValuesTestParseListen, StarIsTheIpv4Wildcard)
{
    ListenResult r = listen("*:8081");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(AF_INET, r.address.family);
    EXPECT_EQ("0.0.0.0", r.address.host);
    EXPECT_EQ(8081, r.address.port);
    EXPECT_TRUE(r.address.isWildcard());
}

TEST(ConfigValuesTestParseListen, LocalhostIsTheIpv4Loopback)
{
    ListenResult r = listen("localhost:9000");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(AF_INET, r.address.family);
    EXPECT_EQ("127.0.0.1", r.address.host);
    EXPECT_EQ(9000, r.address.port);
}

TEST(ConfigValuesTestParseListen, Ipv6Literals)
{
    ListenResult r = listen("[::1]:8080");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(AF_INET6, r.address.family);
    EXPECT_EQ("::1", r.address.host);
    EXPECT_EQ(8080, r.address.port);
    EXPECT_EQ("[::1]:8080", r.address.toString());
    EXPECT_FALSE(r.address.isWildcard());

    r = listen("[::]:80");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(AF_INET6, r.address.family);
    EXPECT_EQ("::", r.address.host);
    EXPECT_EQ(80, r.address.port);
    EXPECT_TRUE(r.address.isWildcard());

    // The numeric form is canonical (what inet_ntop prints).
    r = listen("[0:0:0:0:0:0:0:1]:8080");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ("::1", r.address.host);
    r = listen("[FE80::0001]:8080");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ("fe80::1", r.address.host);
}

TEST(ConfigValuesTestParseListen, AddressWithoutPortMeansPort80)
{
    ListenResult r = listen("127.0.0.1");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ("127.0.0.1", r.address.host);
    EXPECT_EQ(80, r.address.port);

    r = listen("*");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ("0.0.0.0", r.address.host);
    EXPECT_EQ(80, r.address.port);

    r = listen("localhost");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ("127.0.0.1", r.address.host);
    EXPECT_EQ(80, r.address.port);

    r = listen("[::1]");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ(AF_INET6, r.address.family);
    EXPECT_EQ("::1", r.address.host);
    EXPECT_EQ(80, r.address.port);

    r = listen("[::]");
    ASSERT_EQ(LISTEN_OK, r.result);
    EXPECT_EQ("::", r.address.host);
    EXPECT_EQ(80, r.address.port);
}

TEST(ConfigValuesTestParseListen, BadPortsNameThePort)
{
    struct Case {
        const char* text;
        const char* bad;
    } cases[] = {
        { "80a", "80a" },
        { "0", "0" },
        { "65536", "65536" },
        { "99999999999999999999", "99999999999999999999" },
        { "", "" },
        { "-1", "-1" },
        { "+80", "+80" },
        { "127.0.0.1:", "" },
        { "127.0.0.1:0", "0" },
        { "127.0.0.1:80a", "80a" },
        { "*:65536", "65536" },
        { "localhost:x", "x" },
        { "[::1]:", "" },
        { "[::1]:0", "0" },
        { "[::1]:70000", "70000" },
    };
    for (const Case& c : cases) {
        ListenResult r = listen(c.text);
        EXPECT_EQ(LISTEN_BAD_PORT, r.result) << c.text;
        EXPECT_EQ(c.bad, r.bad) << c.text;
        EXPECT_EQ(-1, r.address.family) << c.text;
        EXPECT_EQ("untouched", r.address.host) << c.text;
        EXPECT_EQ(1, r.address.port) << c.text;
    }
}

TEST(ConfigValuesTestParseListen, BadAddressesNameTheAddress)
{
    struct Case {
        const char* text;
        const char* bad;
    } cases[] = {
        { "1.2.3.999:80", "1.2.3.999" },
        { "256.0.0.1:80", "256.0.0.1" },
        { "1.2.3:80", "1.2.3" },
        { "1.2.3.4.5", "1.2.3.4.5" },
        { "example.org:80", "example.org" },   // host names are not resolved
        { "example.org", "example.org" },
        { ":80", ":80" },
        { "[::1:80", "[::1:80" },
        { "[::1]80", "[::1]80" },
        { "[zz]:80", "[zz]" },
        { "[]:80", "[]" },
        { "[127.0.0.1]:80", "[127.0.0.1]" },
        { "::1:80", "::1" },
        { "**:80", "**" },
    };
    for (const Case& c : cases) {
        ListenResult r = listen(c.text);
        EXPECT_EQ(LISTEN_BAD_ADDRESS, r.result) << c.text;
        EXPECT_EQ(c.bad, r.bad) << c.text;
        EXPECT_EQ(-1, r.address.family) << c.text;
        EXPECT_EQ("untouched", r.address.host) << c.text;
    }
}

TEST(ConfigValuesTestListenAddress, DefaultIsAllAddressesPort8080)
{
    ListenAddress address;
    EXPECT_EQ(AF_INET, address.family);
    EXPECT_EQ("0.0.0.0", address.host);
    EXPECT_EQ(8080, address.port);
    EXPECT_EQ("0.0.0.0:8080", address.toString());
    EXPECT_TRUE(address.isWildcard());
}

TEST(ConfigValuesTestListenAddress, EqualityAndOrder)
{
    ListenResult a = listen("8080");
    ListenResult b = listen("*:8080");
    ListenResult c = listen("127.0.0.1:8080");
    ListenResult d = listen("[::]:8080");
    ListenResult e = listen("127.0.0.1:80");
    EXPECT_TRUE(a.address == b.address);
    EXPECT_FALSE(a.address == c.address);
    EXPECT_FALSE(a.address == d.address);
    EXPECT_FALSE(c.address == e.address);
    // Port first, then family, then host.
    EXPECT_TRUE(e.address < a.address);
    EXPECT_TRUE(a.address < c.address);
    EXPECT_TRUE(c.address < d.address);
    EXPECT_FALSE(a.address < b.address);
    EXPECT_FALSE(b.address < a.address);
}

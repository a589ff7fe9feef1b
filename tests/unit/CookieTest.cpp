// Cookie request headers (RFC 6265 §5.4, read leniently like browsers do)
// and the application/x-www-form-urlencoded helpers that SESSION_DATA and
// Session-Set use (src/http/Cookie.cpp). Garbage is skipped, never a crash.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "http/Cookie.hpp"
#include "http/HeaderMap.hpp"

namespace {

typedef std::map<std::string, std::string> Cookies;

Cookies parseOne(const std::string& value)
{
    HeaderMap headers;
    headers.add("Cookie", value);
    return parseCookies(headers);
}

std::string describe(const Cookies& cookies)
{
    std::string out;
    for (const auto& entry : cookies)
        out += "[" + entry.first + "]=[" + entry.second + "] ";
    return out;
}

std::string allBytes()
{
    std::string bytes;
    for (int c = 0; c < 256; ++c)
        bytes += static_cast<char>(c);
    return bytes;
}

}

// ---------------------------------------------------------------- parseCookies

TEST(CookieTestParse, TheUsualShape)
{
    Cookies cookies = parseOne("a=1; b=\"2\"; c=");
    EXPECT_EQ((Cookies { { "a", "1" }, { "b", "2" }, { "c", "" } }), cookies) << describe(cookies);
}

TEST(CookieTestParse, NoCookieFieldIsAnEmptyMap)
{
    HeaderMap headers;
    EXPECT_TRUE(parseCookies(headers).empty());
    EXPECT_TRUE(parseOne("").empty());
    EXPECT_TRUE(parseOne("   ").empty());
    EXPECT_TRUE(parseOne(";;;").empty());
}

TEST(CookieTestParse, SeveralCookieFieldsAreMerged)
{
    HeaderMap headers;
    headers.add("Cookie", "a=1; b=2");
    headers.add("Host", "example.org");
    headers.add("cookie", "c=3");
    headers.add("COOKIE", "d=4");
    Cookies cookies = parseCookies(headers);
    EXPECT_EQ((Cookies { { "a", "1" }, { "b", "2" }, { "c", "3" }, { "d", "4" } }), cookies)
        << describe(cookies);
}

TEST(CookieTestParse, FirstOccurrenceWins)
{
    EXPECT_EQ((Cookies { { "a", "1" } }), parseOne("a=1; a=2; a=3"));
    HeaderMap headers;
    headers.add("Cookie", "x=first; y=1");
    headers.add("Cookie", "x=second; z=2");
    Cookies cookies = parseCookies(headers);
    EXPECT_EQ((Cookies { { "x", "first" }, { "y", "1" }, { "z", "2" } }), cookies) << describe(cookies);
    // An empty value is a value: it wins over a later non-empty one.
    EXPECT_EQ((Cookies { { "a", "" } }), parseOne("a=; a=2"));
}

TEST(CookieTestParse, NamesAreCaseSensitive)
{
    Cookies cookies = parseOne("sid=1; SID=2; Sid=3");
    EXPECT_EQ((Cookies { { "SID", "2" }, { "Sid", "3" }, { "sid", "1" } }), cookies) << describe(cookies);
}

TEST(CookieTestParse, PairsWithoutEqualsAreSkipped)
{
    Cookies cookies = parseOne("junk; a=1; ; lonely ;b=2; trailing");
    EXPECT_EQ((Cookies { { "a", "1" }, { "b", "2" } }), cookies) << describe(cookies);
    EXPECT_TRUE(parseOne("justaword").empty());
}

TEST(CookieTestParse, EmptyNamesAreSkipped)
{
    Cookies cookies = parseOne("=x; =; a=1;  = y ; b=2");
    EXPECT_EQ((Cookies { { "a", "1" }, { "b", "2" } }), cookies) << describe(cookies);
    EXPECT_TRUE(parseOne("=").empty());
    EXPECT_TRUE(parseOne("=value").empty());
}

TEST(CookieTestParse, WhitespaceAroundNamesAndValuesIsTrimmed)
{
    Cookies cookies = parseOne("  a = 1 ;\tb\t=\t2\t;c=3;d= x y ;   e=5   ");
    EXPECT_EQ((Cookies { { "a", "1" }, { "b", "2" }, { "c", "3" }, { "d", "x y" }, { "e", "5" } }),
        cookies) << describe(cookies);
}

TEST(CookieTestParse, ValuesMayContainEquals)
{
    Cookies cookies = parseOne("token=abc==; q=a=b=c; e==");
    EXPECT_EQ((Cookies { { "e", "=" }, { "q", "a=b=c" }, { "token", "abc==" } }), cookies)
        << describe(cookies);
}

TEST(CookieTestParse, QuotesAreRemovedOnlyWhenTheyEnclose)
{
    Cookies cookies = parseOne("a=\"\"; b=\"x y\"; c=\"; d=\"open; e=close\"; f=\"in\"side; g=\"a=b\"");
    EXPECT_EQ((Cookies {
        { "a", "" },
        { "b", "x y" },
        { "c", "\"" },
        { "d", "\"open" },
        { "e", "close\"" },
        { "f", "\"in\"side" },
        { "g", "a=b" },
    }), cookies) << describe(cookies);
}

TEST(CookieTestParse, OtherFieldsAreIgnored)
{
    HeaderMap headers;
    headers.add("Cookies", "a=1");
    headers.add("Set-Cookie", "b=2");
    headers.add("X-Cookie", "c=3");
    headers.add("Cookie2", "d=4");
    headers.add("Cookie", "e=5");
    Cookies cookies = parseCookies(headers);
    EXPECT_EQ((Cookies { { "e", "5" } }), cookies) << describe(cookies);
}

TEST(CookieTestParse, GarbageBytesNeverCrash)
{
    // Every byte value, in names and values, with and without separators.
    std::string bytes = allBytes();
    Cookies cookies = parseOne(bytes);
    for (const auto& entry : cookies)
        EXPECT_FALSE(entry.first.empty());
    cookies = parseOne("x=" + bytes.substr(0, 59) + bytes.substr(60) + "; y=2");
    EXPECT_EQ(1u, cookies.count("y")) << describe(cookies);
    EXPECT_EQ(1u, cookies.count("x"));

    // Random strings over an alphabet rich in separators, NULs and high
    // bytes: names are never empty and never hold ';' or '=', values never
    // hold ';'.
    std::mt19937 rng(6265);
    const std::string alphabet = std::string("ab=;\" \t\r\n,\\\x7f\xff\xc3\xa9\0", 16);
    for (int round = 0; round < 5000; ++round) {
        std::string text;
        size_t length = rng() % 64;
        for (size_t i = 0; i < length; ++i)
            text += alphabet[rng() % alphabet.size()];
        HeaderMap headers;
        headers.add("Cookie", text);
        headers.add("Cookie", text.substr(0, length / 2));
        Cookies parsed = parseCookies(headers);
        for (const auto& entry : parsed) {
            EXPECT_FALSE(entry.first.empty()) << text;
            EXPECT_EQ(std::string::npos, entry.first.find_first_of(";=")) << text;
            EXPECT_EQ(std::string::npos, entry.second.find(';')) << text;
        }
    }
}

TEST(CookieTestParse, LongFieldWithManyPairs)
{
    std::string field;
    for (int i = 0; i < 2000; ++i)
        field += (i ? "; " : "") + std::string("k") + std::to_string(i) + "=v" + std::to_string(i);
    Cookies cookies = parseOne(field);
    ASSERT_EQ(2000u, cookies.size());
    EXPECT_EQ("v0", cookies["k0"]);
    EXPECT_EQ("v1999", cookies["k1999"]);
}

// ---------------------------------------------------------------- form encoding

TEST(CookieTestFormEncoding, EncodeAMap)
{
    EXPECT_EQ("", formEncode(std::map<std::string, std::string>()));
    std::map<std::string, std::string> values;
    values["b"] = "x y";
    values["a"] = "1";
    values["empty"] = "";
    EXPECT_EQ("a=1&b=x%20y&empty=", formEncode(values));
}

TEST(CookieTestFormEncoding, SeparatorsAndNonAsciiAreEscaped)
{
    std::map<std::string, std::string> values;
    values["a&b"] = "c=d";
    values["name"] = "J\xc3\xb6rg+100%";
    EXPECT_EQ("a%26b=c%3Dd&name=J%C3%B6rg%2B100%25", formEncode(values));
    EXPECT_EQ("-._~AZaz09", formEncodeComponent("-._~AZaz09"));
    EXPECT_EQ("%00%0D%0A%20%22%3B%FF", formEncodeComponent(std::string("\0\r\n \";\xff", 7)));
}

TEST(CookieTestFormEncoding, DecodePlusAndEscapes)
{
    EXPECT_EQ("x y", formDecodeComponent("x+y"));
    EXPECT_EQ("x y", formDecodeComponent("x%20y"));
    EXPECT_EQ("+", formDecodeComponent("%2B"));
    EXPECT_EQ("AJj", formDecodeComponent("%41%4a%6A"));
    EXPECT_EQ(std::string("a\0b", 3), formDecodeComponent("a%00b"));
    EXPECT_EQ("", formDecodeComponent(""));
    EXPECT_EQ("plain", formDecodeComponent("plain"));
}

TEST(CookieTestFormEncoding, BadEscapesAreKeptLiterally)
{
    EXPECT_EQ("%", formDecodeComponent("%"));
    EXPECT_EQ("100%", formDecodeComponent("100%"));
    EXPECT_EQ("%4", formDecodeComponent("%4"));
    EXPECT_EQ("a%4", formDecodeComponent("a%4"));
    EXPECT_EQ("%zz", formDecodeComponent("%zz"));
    EXPECT_EQ("%4g", formDecodeComponent("%4g"));
    EXPECT_EQ("%g4", formDecodeComponent("%g4"));
    EXPECT_EQ("%A", formDecodeComponent("%%41"));
    EXPECT_EQ("% x", formDecodeComponent("%+x"));
}

TEST(CookieTestFormEncoding, Utf8)
{
    const std::string text = "J\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x8d\xaa";   // Jörg € 🍪
    EXPECT_EQ("J%C3%B6rg%20%E2%82%AC%20%F0%9F%8D%AA", formEncodeComponent(text));
    EXPECT_EQ(text, formDecodeComponent("J%C3%B6rg+%E2%82%AC+%F0%9F%8D%AA"));
    EXPECT_EQ(text, formDecodeComponent("J%c3%b6rg %e2%82%ac %f0%9f%8d%aa"));
}

TEST(CookieTestFormEncoding, RoundTripsEveryByte)
{
    std::string bytes = allBytes();
    EXPECT_EQ(bytes, formDecodeComponent(formEncodeComponent(bytes)));
    std::mt19937 rng(1866);
    for (int round = 0; round < 1000; ++round) {
        std::string text;
        size_t length = rng() % 40;
        for (size_t i = 0; i < length; ++i)
            text += static_cast<char>(rng() & 0xFF);
        std::string encoded = formEncodeComponent(text);
        EXPECT_EQ(std::string::npos, encoded.find_first_of("&=+ ;")) << encoded;
        EXPECT_EQ(text, formDecodeComponent(encoded));
    }
}

TEST(CookieTestFormEncoding, RoundTripsAMap)
{
    std::map<std::string, std::string> values;
    values["name"] = "J\xc3\xb6rg & Co = 100%";
    values["a+b"] = "c d";
    values["empty"] = "";
    values[std::string("nul\0", 4)] = std::string("\0\xff", 2);
    std::string encoded = formEncode(values);
    std::map<std::string, std::string> decoded;
    std::string::size_type pos = 0;
    while (pos <= encoded.size()) {
        std::string::size_type amp = encoded.find('&', pos);
        if (amp == std::string::npos)
            amp = encoded.size();
        std::string pair = encoded.substr(pos, amp - pos);
        std::string::size_type eq = pair.find('=');
        ASSERT_NE(std::string::npos, eq) << pair;
        decoded[formDecodeComponent(pair.substr(0, eq))] = formDecodeComponent(pair.substr(eq + 1));
        pos = amp + 1;
    }
    EXPECT_EQ(values, decoded);
}

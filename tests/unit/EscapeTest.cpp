#include <gtest/gtest.h>

#include <string>

#include "util/Escape.hpp"

namespace {

// Every byte value once, 0x00 to 0xFF.
std::string allBytes()
{
    std::string s;
    for (int c = 0; c < 256; ++c)
        s += static_cast<char>(c);
    return s;
}

bool isSpace(unsigned char c)
{
    return c == ' ';
}

}

TEST(EscapeTest, AppendHexByteInEitherCase)
{
    std::string out = "x";
    appendHexByte(out, 0x0A, UPPER_HEX);
    appendHexByte(out, 0xFF, UPPER_HEX);
    appendHexByte(out, 0xAB, LOWER_HEX);
    appendHexByte(out, 0x00, LOWER_HEX);
    EXPECT_EQ("x0AFFab00", out);
}

TEST(EscapeTest, HexEscapeOnlyTouchesTheChosenBytes)
{
    EXPECT_EQ("a%20b%20", hexEscape("a b ", isSpace, "%", UPPER_HEX));
    EXPECT_EQ("", hexEscape("", isSpace, "%", UPPER_HEX));
    EXPECT_EQ(std::string("a\0b", 3), hexEscape(std::string("a\0b", 3), isSpace, "%", LOWER_HEX));
}

TEST(EscapeTest, PercentEncodeKeepsOnlyUnreserved)
{
    EXPECT_EQ("-._~AZaz09", percentEncode("-._~AZaz09"));
    EXPECT_EQ("%2F%20%25%2B%26%3D", percentEncode("/ %+&="));
    std::string encoded = percentEncode(allBytes());
    // 66 unreserved bytes stay, the other 190 take three bytes each.
    EXPECT_EQ(66u + 190u * 3u, encoded.size());
    EXPECT_EQ(0u, encoded.find("%00%01"));
    EXPECT_NE(std::string::npos, encoded.find("%7F%80"));
    EXPECT_EQ(encoded.size() - 3, encoded.find("%FF"));
}

TEST(EscapeTest, PercentEncodePathKeepsUnreservedAndSlash)
{
    EXPECT_EQ("/a%20b/%3C%3E%25~._-", percentEncodePath("/a b/<>%~._-"));
    EXPECT_EQ("/%C3%A9t%C3%A9/%3F%23", percentEncodePath("/\xC3\xA9t\xC3\xA9/?#"));
}

TEST(EscapeTest, PercentEscapeAtNeedsTwoHexDigits)
{
    unsigned char byte = 0;
    EXPECT_TRUE(percentEscapeAt("a%4a", 1, &byte));
    EXPECT_EQ(0x4A, byte);
    EXPECT_TRUE(percentEscapeAt("%00", 0, &byte));
    EXPECT_EQ(0, byte);
    EXPECT_FALSE(percentEscapeAt("%4", 0, &byte));
    EXPECT_FALSE(percentEscapeAt("%4g", 0, &byte));
    EXPECT_FALSE(percentEscapeAt("x41", 0, &byte));
    EXPECT_FALSE(percentEscapeAt("a%", 1, &byte));
}

TEST(EscapeTest, PercentDecodeLenientKeepsBadEscapes)
{
    EXPECT_EQ("a b+c", percentDecodeLenient("a%20b+c", false));
    EXPECT_EQ("a b c", percentDecodeLenient("a%20b+c", true));
    EXPECT_EQ("+", percentDecodeLenient("%2B", true));
    EXPECT_EQ("%A%4%zz%", percentDecodeLenient("%%41%4%zz%", false));
    EXPECT_EQ(std::string("\0\xFF", 2), percentDecodeLenient("%00%ff", false));
    EXPECT_EQ(allBytes(), percentDecodeLenient(percentEncode(allBytes()), true));
}

TEST(EscapeTest, HtmlEscapeCoversMarkupAndQuotes)
{
    EXPECT_EQ("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", htmlEscape("<a href=\"x\">&'"));
    EXPECT_EQ("plain \xC3\xA9", htmlEscape("plain \xC3\xA9"));
}

TEST(EscapeTest, JsonQuoteEscapesQuotesBackslashesAndControlBytes)
{
    EXPECT_EQ("\"\"", jsonQuote(""));
    EXPECT_EQ("\"a\\\"b\\\\c\"", jsonQuote("a\"b\\c"));
    EXPECT_EQ("\"\\u0000\\u000a\\u001f \x7F\xC3\xA9\"",
        jsonQuote(std::string("\0\n\x1F \x7F\xC3\xA9", 7)));
}

// Byte for byte what nginx 1.22.1 wrote for these names in a JSON listing.
TEST(EscapeTest, JsonEscapeAsNginxShortFormsAndUpperHex)
{
    EXPECT_EQ("q\\\"uote back\\\\slash", jsonEscapeAsNginx("q\"uote back\\slash"));
    EXPECT_EQ("nl\\nx tab\\there \\r\\b\\f", jsonEscapeAsNginx("nl\nx tab\there \r\b\f"));
    EXPECT_EQ("ctl\\u0001\\u001Fx", jsonEscapeAsNginx("ctl\x01\x1fx"));
    EXPECT_EQ(std::string("del\x7f lat\xe9 \xc3\xa9 </a>"),
        jsonEscapeAsNginx("del\x7f lat\xe9 \xc3\xa9 </a>"));
    EXPECT_EQ("", jsonEscapeAsNginx(""));
}

TEST(EscapeTest, LogEscapeLikeNginx)
{
    EXPECT_EQ("", logEscape(""));
    EXPECT_EQ("GET /a\\x22b\\x5Cc\\x01\\x7F\\xC3\\xA9\\x00 ~",
        logEscape(std::string("GET /a\"b\\c\x01\x7F\xC3\xA9\0 ~", 17)));
    EXPECT_EQ("evil\\x0D\\x0A", logEscape("evil\r\n"));
}

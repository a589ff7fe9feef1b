#include <gtest/gtest.h>

#include "util/Strings.hpp"

TEST(StringsTest, LowerAndCaseInsensitiveCompare)
{
    EXPECT_EQ("content-length", toLower("Content-LENGTH"));
    EXPECT_TRUE(iequals("Host", "hOST"));
    EXPECT_FALSE(iequals("Host", "Hosts"));
}

TEST(StringsTest, ParseDecimalRejectsNonDigitsAndOverflow)
{
    off_t value = -1;
    EXPECT_TRUE(parseDecimal("1234", 100000, &value));
    EXPECT_EQ(1234, value);
    EXPECT_FALSE(parseDecimal("", 100, &value));
    EXPECT_FALSE(parseDecimal("+5", 100, &value));
    EXPECT_FALSE(parseDecimal("101", 100, &value));
    EXPECT_TRUE(parseDecimal("100", 100, &value));
    EXPECT_FALSE(parseDecimal("99999999999999999999999", static_cast<off_t>(~0UL >> 1), &value));
}

TEST(StringsTest, SplitAndTrim)
{
    std::vector<std::string> parts = splitAny(" a,, b ,c", ", ");
    ASSERT_EQ(3u, parts.size());
    EXPECT_EQ("a", parts[0]);
    EXPECT_EQ("b", parts[1]);
    EXPECT_EQ("c", parts[2]);
    EXPECT_EQ("x y", trimOws(" \t x y\t "));
    EXPECT_EQ("", trimOws(" \t "));
}

TEST(StringsTest, AppendExactlyGrowsInPagesNotByDoubling)
{
    std::string head;
    std::string piece(1000, 'h');
    // The first bytes take their size: a small request costs no page.
    appendExactly(head, piece.data(), piece.size());
    EXPECT_EQ(1000u, head.capacity());
    for (int i = 1; i < 30; ++i)
        appendExactly(head, piece.data(), piece.size());
    EXPECT_EQ(std::string(30000, 'h'), head);
    // 30 000 bytes held in 32 KiB (doubling would have reached 32 KiB at
    // 16 385 bytes and 64 KiB at 32 769; here it is the next page).
    EXPECT_EQ(32768u, head.capacity());
    appendExactly(head, "tail", 4);
    EXPECT_EQ(32768u, head.capacity());
    EXPECT_EQ("tail", head.substr(30000));
    std::string more(2800, 'h');    // not piece: it holds only 1000 bytes
    appendExactly(head, more.data(), more.size());
    EXPECT_EQ(36864u, head.capacity());
}

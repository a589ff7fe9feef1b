#include <gtest/gtest.h>

#include <string>

#include "http/Grammar.hpp"

TEST(GrammarTest, TcharIsAlphaDigitAndFifteenMarks)
{
    std::string tchars;
    for (int c = 0; c < 256; ++c)
        if (isTchar(static_cast<unsigned char>(c)))
            tchars += static_cast<char>(c);
    EXPECT_EQ("!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~",
        tchars);
}

TEST(GrammarTest, TokenIsNonEmptyTchars)
{
    EXPECT_TRUE(isToken("GET", 3));
    EXPECT_TRUE(isToken("X-Custom_1.0~", 13));
    EXPECT_FALSE(isToken("", 0));
    EXPECT_FALSE(isToken("Host ", 5));
    EXPECT_FALSE(isToken("a:b", 3));
    EXPECT_FALSE(isToken("a\"b", 3));
    EXPECT_FALSE(isToken(std::string("a\0b", 3).c_str(), 3));
    EXPECT_FALSE(isToken("caf\xC3\xA9", 5));
}

TEST(GrammarTest, CtlIsC0AndDelButNotTab)
{
    int count = 0;
    for (int c = 0; c < 256; ++c)
        count += isCtl(static_cast<unsigned char>(c)) ? 1 : 0;
    EXPECT_EQ(32, count);
    EXPECT_TRUE(isCtl('\0'));
    EXPECT_TRUE(isCtl('\r'));
    EXPECT_TRUE(isCtl('\n'));
    EXPECT_TRUE(isCtl(0x7F));
    EXPECT_FALSE(isCtl('\t'));
    EXPECT_FALSE(isCtl(' '));
    EXPECT_FALSE(isCtl(0x80));
    EXPECT_FALSE(isCtl(0xFF));
}

TEST(GrammarTest, ContainsCtl)
{
    EXPECT_FALSE(containsCtl(""));
    EXPECT_FALSE(containsCtl("text/html;\tq=0.9 \xC3\xA9"));
    EXPECT_TRUE(containsCtl("a\rb"));
    EXPECT_TRUE(containsCtl(std::string("a\0b", 3)));
    EXPECT_FALSE(containsCtl("a\rb", 1));
}

#include <gtest/gtest.h>

#include "util/SharedBytes.hpp"

TEST(SharedBytesTest, EmptyWhenNotValid)
{
    SharedBytes none;
    EXPECT_FALSE(none.valid());
    EXPECT_EQ("", none.str());
    EXPECT_EQ(0u, none.size());
}

TEST(SharedBytesTest, TakesTheBytesWithoutCopying)
{
    std::string content(1000, 'x');
    const char* where = content.data();
    SharedBytes bytes(content);
    EXPECT_TRUE(content.empty());
    EXPECT_EQ(where, bytes.str().data());
    EXPECT_EQ(1000u, bytes.size());
}

TEST(SharedBytesTest, LastOwnerKeepsTheBytes)
{
    std::string content = "shared";
    SharedBytes* first = new SharedBytes(content);
    SharedBytes second(*first);
    SharedBytes third;
    third = second;
    EXPECT_EQ(first->str().data(), third.str().data());
    delete first;
    second.reset();
    EXPECT_FALSE(second.valid());
    EXPECT_EQ("shared", third.str());
    third = third;
    EXPECT_EQ("shared", third.str());
}

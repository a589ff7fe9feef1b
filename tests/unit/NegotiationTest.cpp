#include <gtest/gtest.h>

#include <string>

#include "http/HeaderMap.hpp"
#include "http/Negotiation.hpp"

TEST(NegotiationTest, QualityOfTheMostSpecificMatchingRange)
{
    const std::string accept = "text/*;q=0.3, text/html;q=0.7, */*;q=0.1";
    EXPECT_DOUBLE_EQ(0.7, acceptQuality(accept, "text/html"));
    EXPECT_DOUBLE_EQ(0.3, acceptQuality(accept, "text/plain"));
    EXPECT_DOUBLE_EQ(0.1, acceptQuality(accept, "application/json"));
    EXPECT_DOUBLE_EQ(0.7, acceptQuality("text/html;q=0.7, text/*", "text/html"));
}

TEST(NegotiationTest, QualityDefaultsToOneAndZeroWithoutAMatch)
{
    EXPECT_DOUBLE_EQ(1, acceptQuality("text/html", "text/html"));
    EXPECT_DOUBLE_EQ(1, acceptQuality("TEXT/HTML ; level=1", "text/html"));
    EXPECT_DOUBLE_EQ(0.5, acceptQuality("text/html;level=1;Q=0.5", "text/html"));
    EXPECT_DOUBLE_EQ(0, acceptQuality("text/html;q=0", "text/html"));
    EXPECT_DOUBLE_EQ(0, acceptQuality("application/json", "text/html"));
    EXPECT_DOUBLE_EQ(0, acceptQuality("", "text/html"));
    EXPECT_DOUBLE_EQ(0, acceptQuality(",;,", "text/html"));
}

TEST(NegotiationTest, LastOfEquallySpecificRangesWins)
{
    EXPECT_DOUBLE_EQ(0.2, acceptQuality("text/html;q=0.9, text/html;q=0.2", "text/html"));
    EXPECT_DOUBLE_EQ(0.9, acceptQuality("text/html;q=0.9, text/*;q=0.2", "text/html"));
}

TEST(NegotiationTest, PrefersJsonOnlyWhenRankedStrictlyHigher)
{
    struct Case {
        const char* accept;
        bool json;
    };
    const Case cases[] = {
        { "application/json", true },
        { "text/html;q=0.5, application/json", true },
        { "application/json, text/html;q=0.5", true },
        { "application/*;q=0.9, text/*;q=0.1", true },
        { "text/html, application/json", false },
        { "text/html, application/json;q=0.9", false },
        { "text/plain", false },
        { "*/*", false },
        { "", false },
        { "garbage", false },
    };
    for (const Case& c : cases)
        EXPECT_EQ(c.json, prefersJson(std::string(c.accept))) << c.accept;
}

TEST(NegotiationTest, PrefersJsonReadsTheFirstAcceptField)
{
    HeaderMap headers;
    EXPECT_FALSE(prefersJson(headers));
    headers.add("Host", "a");
    headers.add("accept", "application/json");
    EXPECT_TRUE(prefersJson(headers));
    headers.add("Accept", "text/html");
    EXPECT_TRUE(prefersJson(headers));
}

// limit_req's leaky buckets with an injected clock: nginx's arithmetic
// (excess in thousandths of a request), delays inside the burst, refusals
// past it that leave the bucket alone, and the bounded table forgetting the
// least recently used key.

#include <gtest/gtest.h>

#include <string>

#include "util/RequestRateTable.hpp"

namespace {

const long kOnePerSecond = 1000;

TEST(RequestRateTableTest, OnePerSecondWithoutBurst)
{
    RequestRateTable table(16);
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", kOnePerSecond, 0, 0, nullptr));
    EXPECT_EQ(RequestRateTable::RATE_REJECT, table.take("a", kOnePerSecond, 0, 1, nullptr));
    EXPECT_EQ(RequestRateTable::RATE_REJECT, table.take("a", kOnePerSecond, 0, 999, nullptr));
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", kOnePerSecond, 0, 1000, nullptr));
    // Another key has its own bucket.
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("b", kOnePerSecond, 0, 1000, nullptr));
}

TEST(RequestRateTableTest, TheBurstWaitsItsTurn)
{
    RequestRateTable table(16);
    long delay = -1;
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", kOnePerSecond, 2, 0, &delay));
    EXPECT_EQ(-1, delay);
    EXPECT_EQ(RequestRateTable::RATE_DELAY, table.take("a", kOnePerSecond, 2, 0, &delay));
    EXPECT_EQ(1000, delay);
    EXPECT_EQ(RequestRateTable::RATE_DELAY, table.take("a", kOnePerSecond, 2, 0, &delay));
    EXPECT_EQ(2000, delay);
    EXPECT_EQ(RequestRateTable::RATE_REJECT, table.take("a", kOnePerSecond, 2, 0, &delay));
    // The refusal left the bucket as it was: half a second later it is
    // still full; a second later one request has drained, and the next one
    // waits 2 s.
    EXPECT_EQ(RequestRateTable::RATE_REJECT, table.take("a", kOnePerSecond, 2, 500, &delay));
    EXPECT_EQ(RequestRateTable::RATE_DELAY, table.take("a", kOnePerSecond, 2, 1000, &delay));
    EXPECT_EQ(2000, delay);
}

TEST(RequestRateTableTest, PerMinuteRates)
{
    RequestRateTable table(16);
    const long thirtyPerMinute = 500;
    long delay = 0;
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", thirtyPerMinute, 1, 0, &delay));
    EXPECT_EQ(RequestRateTable::RATE_DELAY, table.take("a", thirtyPerMinute, 1, 0, &delay));
    EXPECT_EQ(2000, delay);
    EXPECT_EQ(RequestRateTable::RATE_REJECT, table.take("a", thirtyPerMinute, 1, 1999, &delay));
    EXPECT_EQ(RequestRateTable::RATE_DELAY, table.take("a", thirtyPerMinute, 1, 2000, &delay));
    EXPECT_EQ(2000, delay);
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", thirtyPerMinute, 1, 100000, &delay));
}

TEST(RequestRateTableTest, TheBucketDrainsAtTheRate)
{
    RequestRateTable table(16);
    const long tenPerSecond = 10000;
    long delay = 0;
    for (int i = 0; i < 5; ++i)
        table.take("a", tenPerSecond, 10, 0, &delay);
    EXPECT_EQ(400, delay);      // four requests ahead of the fifth, 100 ms each
    EXPECT_EQ(RequestRateTable::RATE_DELAY, table.take("a", tenPerSecond, 10, 200, &delay));
    EXPECT_EQ(300, delay);      // two drained, one added
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", tenPerSecond, 10, 5000, &delay));
}

TEST(RequestRateTableTest, HugeGapsAndAClockGoingBack)
{
    RequestRateTable table(16);
    const long maxRate = 1000000000L;
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", kOnePerSecond, 5, 0, nullptr));
    EXPECT_EQ(RequestRateTable::RATE_PASS,
        table.take("a", kOnePerSecond, 5, 0x3FFFFFFFFFFFFFFFL, nullptr));
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("b", maxRate, 5, 0, nullptr));
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("b", maxRate, 5, 0x3FFFFFFFFFFFFFFFL,
        nullptr));
    // Backwards: nothing drains, nothing breaks.
    long delay = 0;
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("c", kOnePerSecond, 5, 10000, &delay));
    EXPECT_EQ(RequestRateTable::RATE_DELAY, table.take("c", kOnePerSecond, 5, 5000, &delay));
    EXPECT_EQ(1000, delay);
}

TEST(RequestRateTableTest, AFullTableForgetsTheLeastRecentlyUsed)
{
    RequestRateTable table(2);
    table.take("a", kOnePerSecond, 0, 0, nullptr);
    table.take("b", kOnePerSecond, 0, 0, nullptr);
    EXPECT_EQ(RequestRateTable::RATE_REJECT, table.take("a", kOnePerSecond, 0, 1, nullptr));
    // "a" was used last (even refused): "b" goes for "c".
    table.take("c", kOnePerSecond, 0, 2, nullptr);
    EXPECT_EQ(2u, table.size());
    EXPECT_EQ(1u, table.evictions());
    EXPECT_EQ(RequestRateTable::RATE_REJECT, table.take("c", kOnePerSecond, 0, 3, nullptr));
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("b", kOnePerSecond, 0, 3, nullptr));
    EXPECT_EQ(2u, table.evictions());  // "b" came back new, and "a" went
    EXPECT_EQ(RequestRateTable::RATE_PASS, table.take("a", kOnePerSecond, 0, 4, nullptr));
    EXPECT_EQ(2u, table.maxKeys());
}

TEST(RequestRateTableTest, MemoryIsCountedAndGivenBack)
{
    RequestRateTable table(100);
    size_t empty = table.memoryBytes();
    EXPECT_EQ(0u, empty);
    table.take("a", kOnePerSecond, 0, 0, nullptr);
    size_t one = table.memoryBytes();
    EXPECT_GT(one, 0u);
    table.take(std::string(100, 'k'), kOnePerSecond, 0, 0, nullptr);
    EXPECT_GT(table.memoryBytes(), 2 * one + 200);  // the long key is held twice
    table.clear();
    EXPECT_EQ(0u, table.size());
    EXPECT_EQ(empty, table.memoryBytes());
}

}

// limit_conn's table: slots taken up to the limit, refusals in bursts (the
// first one of each reported), slots given back, entries gone at zero.

#include <gtest/gtest.h>

#include "util/ConnectionSlots.hpp"

namespace {

TEST(ConnectionSlotsTest, TakesUpToTheLimit)
{
    ConnectionSlots slots;
    EXPECT_EQ(ConnectionSlots::SLOT_TAKEN, slots.take("a", 2));
    EXPECT_EQ(ConnectionSlots::SLOT_TAKEN, slots.take("a", 2));
    EXPECT_EQ(ConnectionSlots::SLOT_REFUSED_FIRST, slots.take("a", 2));
    EXPECT_EQ(ConnectionSlots::SLOT_REFUSED_AGAIN, slots.take("a", 2));
    EXPECT_EQ(ConnectionSlots::SLOT_REFUSED_AGAIN, slots.take("a", 2));
    EXPECT_EQ(2, slots.held("a"));
    EXPECT_EQ(ConnectionSlots::SLOT_TAKEN, slots.take("b", 2));
    EXPECT_EQ(2u, slots.size());
}

TEST(ConnectionSlotsTest, AGivenBackSlotEndsTheBurst)
{
    ConnectionSlots slots;
    slots.take("a", 1);
    EXPECT_EQ(ConnectionSlots::SLOT_REFUSED_FIRST, slots.take("a", 1));
    slots.give("a");
    EXPECT_EQ(0, slots.held("a"));
    EXPECT_EQ(0u, slots.size());
    EXPECT_EQ(ConnectionSlots::SLOT_TAKEN, slots.take("a", 1));
    EXPECT_EQ(ConnectionSlots::SLOT_REFUSED_FIRST, slots.take("a", 1));
}

TEST(ConnectionSlotsTest, AHolderIsCheckedAgainstEachLocationsLimit)
{
    ConnectionSlots slots;
    for (int i = 0; i < 3; ++i)
        slots.take("a", 5);
    EXPECT_EQ(ConnectionSlots::SLOT_TAKEN, slots.check("a", 3));
    EXPECT_EQ(ConnectionSlots::SLOT_REFUSED_FIRST, slots.check("a", 2));
    EXPECT_EQ(ConnectionSlots::SLOT_REFUSED_AGAIN, slots.check("a", 2));
    EXPECT_EQ(3, slots.held("a"));      // a check takes nothing
    EXPECT_EQ(ConnectionSlots::SLOT_TAKEN, slots.check("nobody", 1));
}

TEST(ConnectionSlotsTest, MemoryFollowsTheEntries)
{
    ConnectionSlots slots;
    EXPECT_EQ(0u, slots.memoryBytes());
    slots.take("a", 1);
    EXPECT_GT(slots.memoryBytes(), 0u);
    slots.give("a");
    slots.give("a");        // one too many: ignored
    EXPECT_EQ(0u, slots.memoryBytes());
}

}

// The error log's own pieces: the line written without allocating, and the
// throttle that keeps a storm of one event to a line a second.

#include <gtest/gtest.h>

#include <unistd.h>

#include <string>

#include "util/Fd.hpp"
#include "util/Log.hpp"

namespace {

// What logMessage() writes to fd 2 while it is a pipe.
std::string capturedLine(LogLevel level, const char* message, size_t length)
{
    int ends[2];
    if (pipe(ends) != 0)
        return "pipe() failed";
    Fd readEnd(ends[0]);
    Fd writeEnd(ends[1]);
    Fd savedStderr(dup(2));
    dup2(writeEnd.get(), 2);
    logMessage(level, message, length);
    dup2(savedStderr.get(), 2);
    writeEnd.reset();
    std::string text;
    char buffer[512];
    for (ssize_t n; (n = read(readEnd.get(), buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<size_t>(n));
    return text;
}

TEST(LogTest, AMessageGivenAsBytesIsOneLineWithDateAndLevel)
{
    std::string line = capturedLine(LOG_ERROR, "out of memory, and more", 13);
    ASSERT_EQ(20u + 8u + 13u + 1u, line.size()) << line;
    // "2026/12/02 15:34:09 [error] out of memory\n"
    EXPECT_EQ('/', line[4]);
    EXPECT_EQ(' ', line[10]);
    EXPECT_EQ(" [error] out of memory\n", line.substr(19));
}

TEST(LogTestThrottle, OneLinePerPeriodAndACountOfWhatWasHeldBack)
{
    LogThrottle throttle(1000);
    EXPECT_TRUE(throttle.allow(5000));
    EXPECT_EQ(0u, throttle.takeHeldBack());
    EXPECT_FALSE(throttle.allow(5001));
    EXPECT_FALSE(throttle.allow(5999));
    EXPECT_TRUE(throttle.allow(6000));
    EXPECT_EQ(2u, throttle.takeHeldBack());
    EXPECT_EQ(0u, throttle.takeHeldBack());
    EXPECT_FALSE(throttle.allow(6500));
    EXPECT_TRUE(throttle.allow(9000));
    EXPECT_EQ(1u, throttle.takeHeldBack());
}

TEST(LogTestThrottle, TheFirstEventIsAlwaysLogged)
{
    // Monotonic clocks may start near zero.
    LogThrottle throttle(1000);
    EXPECT_TRUE(throttle.allow(0));
    EXPECT_FALSE(throttle.allow(10));
}

}

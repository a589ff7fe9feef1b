// A CgiProcess destroyed while its child runs, with no memory left: the
// child is killed and still reaped, and nothing throws.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <string>
#include <vector>

#include "cgi/CgiProcess.hpp"
#include "support/FailingAllocations.hpp"

TEST(CgiProcessTest, DestroyedWithNoMemoryLeftItsChildIsStillReaped)
{
    if (!FailingAllocations::supported())
        GTEST_SKIP() << "the allocator cannot be replaced under AddressSanitizer";
    size_t before = runningChildren();
    CgiProcess* process = new CgiProcess;
    std::string error;
    std::vector<std::string> argv = { "/bin/sh", "-c", "exec sleep 60" };
    ASSERT_TRUE(process->spawn(argv, std::vector<std::string>(), "/", &error)) << error;
    pid_t pid = process->pid();
    ASSERT_EQ(before + 1, runningChildren());
    bool threw = false;
    {
        FailingAllocations noMemory;
        try {
            delete process;
        } catch (...) {
            threw = true;
        }
    }
    EXPECT_FALSE(threw);
    // Killed: wait for its end without reaping it, then let the server's
    // reaper do that.
    siginfo_t info {};
    ASSERT_EQ(0, waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT));
    EXPECT_EQ(SIGKILL, info.si_status);
    reapChildren();
    EXPECT_EQ(before, runningChildren());
}

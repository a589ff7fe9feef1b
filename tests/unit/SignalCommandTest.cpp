// webserv -s: signal names and pid files, read as nginx -s reads them.

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <string>

#include "core/SignalCommand.hpp"
#include "support/TempDir.hpp"
#include "support/TestText.hpp"

TEST(SignalCommandTest, NamesAreNginxs)
{
    EXPECT_EQ(SIGTERM, signalForCommand("stop"));
    EXPECT_EQ(SIGQUIT, signalForCommand("quit"));
    EXPECT_EQ(SIGHUP, signalForCommand("reload"));
    EXPECT_EQ(SIGUSR1, signalForCommand("reopen"));
    EXPECT_EQ(0, signalForCommand("Stop"));
    EXPECT_EQ(0, signalForCommand("term"));
    EXPECT_EQ(0, signalForCommand(""));
}

TEST(SignalCommandTest, PidText)
{
    const struct {
        const char* text;
        long pid;           // 0: refused
    } cases[] = {
        { "1234\n", 1234 },
        { "1234", 1234 },
        { "1234\r\n\n", 1234 },
        { "", 0 },
        { "\n", 0 },
        { "0\n", 0 },
        { " 1234\n", 0 },
        { "12a\n", 0 },
        { "-5\n", 0 },
        { "1234 \n", 0 },
        { "1234\n5\n", 0 },
        { "9999999999999999999\n", 0 },
    };
    for (const auto& c : cases) {
        long pid = -1;
        bool ok = parsePidText(c.text, &pid);
        EXPECT_EQ(c.pid != 0, ok) << visible(c.text);
        if (ok) {
            EXPECT_EQ(c.pid, pid) << visible(c.text);
        }
    }
}

TEST(SignalCommandTest, MessagesInNginxWords)
{
    TempDir dir;
    std::string message;
    std::string level;
    std::string missing = dir.file("none.pid");
    EXPECT_FALSE(signalRunningServer(missing, SIGTERM, &message, &level));
    EXPECT_EQ("error", level);
    EXPECT_EQ("open() \"" + missing + "\" failed (2: No such file or directory)", message);

    std::string bad = dir.write("bad.pid", "12a\n");
    EXPECT_FALSE(signalRunningServer(bad, SIGTERM, &message, &level));
    EXPECT_EQ("error", level);
    EXPECT_EQ("invalid PID number \"12a\" in \"" + bad + "\"", message);

    // Above any pid_max Linux allows: no such process.
    std::string gone = dir.write("gone.pid", "2147483646\n");
    EXPECT_FALSE(signalRunningServer(gone, SIGQUIT, &message, &level));
    EXPECT_EQ("alert", level);
    EXPECT_EQ("kill(2147483646, 3) failed (3: No such process)", message);
}

TEST(SignalCommandTest, SignalReachesTheProcessOfThePidFile)
{
    // Ourselves, with SIGUSR1 blocked so that it stays pending.
    sigset_t block;
    sigset_t previous;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &block, &previous));
    TempDir dir;
    std::string file = dir.write("self.pid", std::to_string(getpid()) + "\n");
    std::string message;
    std::string level;
    EXPECT_TRUE(signalRunningServer(file, SIGUSR1, &message, &level)) << message;
    sigset_t pending;
    sigpending(&pending);
    EXPECT_EQ(1, sigismember(&pending, SIGUSR1));
    int taken;
    sigwait(&block, &taken);
    sigprocmask(SIG_SETMASK, &previous, nullptr);
}

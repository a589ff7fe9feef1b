// The main() of both test binaries, in place of gtest_main's: the same run,
// but a --gtest_filter that selects no test fails (exit status 1, with a
// message) instead of printing PASSED over 0 tests. Not when the run is one
// shard of several (GTEST_TOTAL_SHARDS > 1): a shard may hold none of the
// selected tests, and scripts/run-tests.sh checks the sum over the shards.
//
// A watchdog bounds each test: one still running after TEST_TIMEOUT_SECONDS
// (default 300) ends the process with status 124 and a line naming it, so a
// hang fails that test (scripts/run-tests.sh reports it) instead of eating
// the CI run's whole time. Servers the tests started die with it
// (ServerProcess sets their parent-death signal).

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

namespace {

unsigned watchdogSeconds()
{
    const char* text = std::getenv("TEST_TIMEOUT_SECONDS");
    int seconds = text != nullptr ? std::atoi(text) : 0;
    return seconds > 0 ? static_cast<unsigned>(seconds) : 300;
}

// Written by the listener before alarm() is armed; read by the handler.
char g_runningTest[512];

extern "C" void onWatchdog(int)
{
    const char prefix[] = "\nwebserv-tests: watchdog: this test ran past TEST_TIMEOUT_SECONDS: ";
    ssize_t ignored = write(2, prefix, sizeof prefix - 1);
    ignored = write(2, g_runningTest, std::strlen(g_runningTest));
    ignored = write(2, "\n", 1);
    (void)ignored;
    _exit(124);
}

class Watchdog : public ::testing::EmptyTestEventListener {
public:
    explicit Watchdog(unsigned seconds) : seconds_(seconds) { std::signal(SIGALRM, onWatchdog); }
    void OnTestStart(const ::testing::TestInfo& test) override
    {
        std::string name = std::string(test.test_suite_name()) + "." + test.name();
        std::snprintf(g_runningTest, sizeof g_runningTest, "%s", name.c_str());
        alarm(seconds_);
    }
    void OnTestEnd(const ::testing::TestInfo&) override { alarm(0); }

private:
    unsigned seconds_;
};

bool isOneShardOfSeveral()
{
    const char* total = std::getenv("GTEST_TOTAL_SHARDS");
    return total != nullptr && std::atoi(total) > 1;
}

}

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::UnitTest::GetInstance()->listeners().Append(new Watchdog(watchdogSeconds()));
    int status = RUN_ALL_TESTS();
    const ::testing::UnitTest& run = *::testing::UnitTest::GetInstance();
    if (status == 0 && run.test_to_run_count() == 0 && run.total_test_count() > 0
        && !GTEST_FLAG_GET(list_tests) && !isOneShardOfSeveral()) {
        std::fprintf(stderr, "%s: no test matches --gtest_filter=%s (a file's tests: "
            "'FileNameTest*', one test: 'Suite.Name'; --gtest_list_tests lists them)\n",
            argv[0], GTEST_FLAG_GET(filter).c_str());
        return 1;
    }
    return status;
}

// The main() of both test binaries, in place of gtest_main's: the same run,
// but a --gtest_filter that selects no test fails (exit status 1, with a
// message) instead of printing PASSED over 0 tests. Not when the run is one
// shard of several (GTEST_TOTAL_SHARDS > 1): a shard may hold none of the
// selected tests, and scripts/run-tests.sh checks the sum over the shards.

#include <cstdio>
#include <cstdlib>

#include <gtest/gtest.h>

namespace {

bool isOneShardOfSeveral()
{
    const char* total = std::getenv("GTEST_TOTAL_SHARDS");
    return total != nullptr && std::atoi(total) > 1;
}

}

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
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

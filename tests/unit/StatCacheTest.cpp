// stat() results kept for one turn of the loop (src/router/StatCache.cpp).

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "router/StatCache.hpp"
#include "support/TempDir.hpp"

TEST(StatCacheTest, AnswersLikeStat)
{
    TempDir dir;
    std::string path = dir.write("a.txt", "12345");
    StatCache cache;
    struct stat info;
    int error = -1;
    ASSERT_EQ(0, cache.stat(path, &info, &error));
    EXPECT_EQ(0, error);
    EXPECT_EQ(5, info.st_size);
    EXPECT_TRUE(S_ISREG(info.st_mode));
    EXPECT_EQ(-1, cache.stat(dir.path() + "/missing", &info, &error));
    EXPECT_EQ(ENOENT, error);
}

TEST(StatCacheTest, KeepsResultsUntilForgotten)
{
    TempDir dir;
    std::string path = dir.write("a.txt", "12345");
    StatCache cache;
    struct stat info;
    int error = 0;
    ASSERT_EQ(0, cache.stat(path, &info, &error));
    ASSERT_EQ(0, unlink(path.c_str()));
    // Within the turn: the result it had.
    EXPECT_EQ(0, cache.stat(path, &info, &error));
    EXPECT_EQ(5, info.st_size);
    cache.forget();
    EXPECT_EQ(-1, cache.stat(path, &info, &error));
    EXPECT_EQ(ENOENT, error);
    // A failure is kept too.
    dir.write("a.txt", "123");
    EXPECT_EQ(-1, cache.stat(path, &info, &error));
    cache.forget();
    EXPECT_EQ(0, cache.stat(path, &info, &error));
    EXPECT_EQ(3, info.st_size);
}

TEST(StatCacheTest, ManyPathsInOneTurnStayCorrect)
{
    TempDir dir;
    StatCache cache;
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 100; ++i) {
            std::string path = dir.path() + "/f" + std::to_string(i);
            if (round == 0)
                dir.write("f" + std::to_string(i), std::string(static_cast<size_t>(i), 'x'));
            struct stat info;
            int error = 0;
            ASSERT_EQ(0, cache.stat(path, &info, &error)) << path;
            EXPECT_EQ(i, info.st_size) << path;
        }
    }
}

TEST(StatCacheTest, LstatDescribesTheLinkAndIsKeptApartFromStat)
{
    TempDir dir;
    std::string target = dir.write("a.txt", "12345");
    std::string link = dir.path() + "/link";
    ASSERT_EQ(0, symlink(target.c_str(), link.c_str()));
    StatCache cache;
    struct stat info;
    int error = -1;
    ASSERT_EQ(0, cache.lstat(link, &info, &error));
    EXPECT_TRUE(S_ISLNK(info.st_mode));
    ASSERT_EQ(0, cache.stat(link, &info, &error));
    EXPECT_TRUE(S_ISREG(info.st_mode));
    EXPECT_EQ(5, info.st_size);
    // Both kept: asked again, each answers as before.
    ASSERT_EQ(0, cache.lstat(link, &info, &error));
    EXPECT_TRUE(S_ISLNK(info.st_mode));
    // A dangling link: lstat() finds it, stat() does not.
    ASSERT_EQ(0, unlink(target.c_str()));
    cache.forget();
    EXPECT_EQ(0, cache.lstat(link, &info, &error));
    EXPECT_EQ(-1, cache.stat(link, &info, &error));
    EXPECT_EQ(ENOENT, error);
}

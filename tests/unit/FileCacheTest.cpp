#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "handlers/FileCache.hpp"
#include "support/TempDir.hpp"

namespace {

// What the static handler does: the cached copy, else a fresh read.
struct Getter {
    FileCache& cache;
    const CachedFile* get(const std::string& path, const struct stat& info, int* error)
    {
        const CachedFile* hit = cache.lookup(path, info);
        return hit ? hit : cache.load(path, info, error);
    }
};

struct stat statOf(const std::string& path)
{
    struct stat info {};
    EXPECT_EQ(0, stat(path.c_str(), &info));
    return info;
}

TEST(FileCacheTest, ServesContentAndRereadsAChangedFile)
{
    TempDir dir;
    std::string path = dir.write("a.txt", "first");
    FileCache store(1024, 100);
    Getter cache { store };
    int error = 0;
    const CachedFile* file = cache.get(path, statOf(path), &error);
    ASSERT_NE(nullptr, file);
    EXPECT_EQ("first", file->content.str());
    // Same size, new bytes: the stat no longer matches, so it is read again.
    dir.write("a.txt", "again");
    file = cache.get(path, statOf(path), &error);
    ASSERT_NE(nullptr, file);
    EXPECT_EQ("again", file->content.str());
}

TEST(FileCacheTest, LookupMissesAChangedFileAndForgetsIt)
{
    TempDir dir;
    std::string path = dir.write("a.txt", "one");
    FileCache cache(1024, 100);
    int error = 0;
    struct stat before = statOf(path);
    ASSERT_NE(nullptr, cache.load(path, before, &error));
    EXPECT_NE(nullptr, cache.lookup(path, before));
    dir.write("a.txt", "two");
    EXPECT_EQ(nullptr, cache.lookup(path, statOf(path)));
    EXPECT_EQ(nullptr, cache.lookup(path, before));    // forgotten, not kept stale
}

TEST(FileCacheTest, HitReturnsTheSameEntry)
{
    TempDir dir;
    std::string path = dir.write("a.txt", "x");
    FileCache store(1024, 100);
    Getter cache { store };
    int error = 0;
    const CachedFile* first = cache.get(path, statOf(path), &error);
    const CachedFile* second = cache.get(path, statOf(path), &error);
    EXPECT_EQ(first, second);
}

TEST(FileCacheTest, AcceptsOnlySmallFiles)
{
    FileCache cache(1024, 100);
    EXPECT_TRUE(cache.accepts(0));
    EXPECT_TRUE(cache.accepts(100));
    EXPECT_FALSE(cache.accepts(101));
}

TEST(FileCacheTest, EvictsLeastRecentlyUsedBeyondItsBudget)
{
    TempDir dir;
    std::string a = dir.write("a", std::string(40, 'a'));
    std::string b = dir.write("b", std::string(40, 'b'));
    std::string c = dir.write("c", std::string(40, 'c'));
    FileCache store(100, 100);
    Getter cache { store };
    int error = 0;
    const CachedFile* first = cache.get(a, statOf(a), &error);
    cache.get(b, statOf(b), &error);
    cache.get(a, statOf(a), &error);           // a is now more recent than b
    cache.get(c, statOf(c), &error);           // 120 > 100: b goes
    EXPECT_EQ(first, cache.get(a, statOf(a), &error));
    EXPECT_EQ(std::string(40, 'b'), cache.get(b, statOf(b), &error)->content.str());
}

// A response holding the content keeps it after the cache let it go.
TEST(FileCacheTest, ContentHeldByAResponseOutlivesItsEntry)
{
    TempDir dir;
    std::string path = dir.write("a.txt", "old bytes");
    FileCache cache(1024, 100);
    int error = 0;
    SharedBytes held = cache.load(path, statOf(path), &error)->content;
    dir.write("a.txt", "new bytes!");
    EXPECT_EQ(nullptr, cache.lookup(path, statOf(path)));     // the entry is gone
    ASSERT_NE(nullptr, cache.load(path, statOf(path), &error));
    EXPECT_EQ("old bytes", held.str());
}

TEST(FileCacheTest, MissingFileIs404)
{
    TempDir dir;
    std::string path = dir.write("gone", "x");
    struct stat info = statOf(path);
    unlink(path.c_str());
    FileCache store(1024, 100);
    Getter cache { store };
    int error = 0;
    EXPECT_EQ(nullptr, cache.get(path, info, &error));
    EXPECT_EQ(404, error);
}

}

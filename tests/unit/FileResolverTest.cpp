// What a mapped path is on disk (src/router/FileResolver.cpp).

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "config/Config.hpp"
#include "router/FileResolver.hpp"
#include "support/TempDir.hpp"

namespace {

class FileResolverTest : public ::testing::Test {
protected:
    FileResolverTest()
    {
        dir_.write("file.txt", "hello");
        dir_.write("empty.txt", "");
        dir_.mkdir("dir");
        dir_.mkdir("emptydir");
    }

    // uri relative to the temporary directory as the root.
    ResolvedFile resolve(const std::string& uri)
    {
        return resolveFile(location_, uri, dir_.path() + uri);
    }

    const std::string& T() const { return dir_.path(); }

    TempDir dir_;
    LocationConfig location_;   // index.html, autoindex off: the defaults
};

}

TEST_F(FileResolverTest, RegularFile)
{
    ResolvedFile f = resolve("/file.txt");
    EXPECT_EQ(FILE_REGULAR, f.kind);
    EXPECT_EQ(T() + "/file.txt", f.path);
    EXPECT_EQ("", f.uri);
    EXPECT_EQ(5, f.info.st_size);
    EXPECT_TRUE(S_ISREG(f.info.st_mode));

    f = resolve("/empty.txt");
    EXPECT_EQ(FILE_REGULAR, f.kind);
    EXPECT_EQ(0, f.info.st_size);
}

TEST_F(FileResolverTest, MissingFileIsNotFound)
{
    ResolvedFile f = resolve("/missing.txt");
    EXPECT_EQ(FILE_NOT_FOUND, f.kind);
    EXPECT_EQ(T() + "/missing.txt", f.path);
    EXPECT_EQ(FILE_NOT_FOUND, resolve("/missing/").kind);
    EXPECT_EQ(FILE_NOT_FOUND, resolve("/missing/deeper.txt").kind);
}

TEST_F(FileResolverTest, FileAskedForAsADirectoryIsNotFound)
{
    EXPECT_EQ(FILE_NOT_FOUND, resolve("/file.txt/").kind);
    EXPECT_EQ(FILE_NOT_FOUND, resolve("/file.txt/x").kind);
}

TEST_F(FileResolverTest, DirectoryWithoutTrailingSlashNeedsARedirect)
{
    ResolvedFile f = resolve("/dir");
    EXPECT_EQ(FILE_ADD_SLASH, f.kind);
    EXPECT_EQ(T() + "/dir", f.path);
    // Even when it has an index file.
    dir_.write("dir/index.html", "<p>");
    EXPECT_EQ(FILE_ADD_SLASH, resolve("/dir").kind);
}

TEST_F(FileResolverTest, IndexFile)
{
    dir_.write("dir/index.html", "<p>index</p>");
    ResolvedFile f = resolve("/dir/");
    EXPECT_EQ(FILE_INDEX, f.kind);
    EXPECT_EQ(T() + "/dir/index.html", f.path);
    EXPECT_EQ("/dir/index.html", f.uri);
    EXPECT_EQ(12, f.info.st_size);

    f = resolve("/");
    EXPECT_EQ(FILE_FORBIDDEN, f.kind);    // the root itself has no index.html
}

TEST_F(FileResolverTest, FirstExistingIndexNameWins)
{
    location_.index = { "index.html", "index.htm", "default.html" };
    dir_.write("dir/default.html", "d");
    dir_.write("dir/index.htm", "htm");
    ResolvedFile f = resolve("/dir/");
    EXPECT_EQ(FILE_INDEX, f.kind);
    EXPECT_EQ(T() + "/dir/index.htm", f.path);
    EXPECT_EQ("/dir/index.htm", f.uri);
    EXPECT_EQ(3, f.info.st_size);

    dir_.write("dir/index.html", "html");
    f = resolve("/dir/");
    EXPECT_EQ(T() + "/dir/index.html", f.path);
    EXPECT_EQ("/dir/index.html", f.uri);
}

TEST_F(FileResolverTest, IndexNameThatIsADirectoryIsSkipped)
{
    location_.index = { "index.html", "home.html" };
    dir_.mkdir("dir/index.html");
    dir_.write("dir/home.html", "home");
    ResolvedFile f = resolve("/dir/");
    EXPECT_EQ(FILE_INDEX, f.kind);
    EXPECT_EQ(T() + "/dir/home.html", f.path);
    EXPECT_EQ("/dir/home.html", f.uri);
}

TEST_F(FileResolverTest, NoIndexWithAutoindexIsAListing)
{
    location_.autoindex = true;
    dir_.write("dir/other.html", "x");
    ResolvedFile f = resolve("/dir/");
    EXPECT_EQ(FILE_LISTING, f.kind);
    EXPECT_EQ(T() + "/dir/", f.path);
    EXPECT_EQ(FILE_LISTING, resolve("/emptydir/").kind);
}

TEST_F(FileResolverTest, NoIndexWithoutAutoindexIsForbidden)
{
    dir_.write("dir/other.html", "x");
    ResolvedFile f = resolve("/dir/");
    EXPECT_EQ(FILE_FORBIDDEN, f.kind);
    EXPECT_EQ(T() + "/dir/", f.path);
}

TEST_F(FileResolverTest, EmptyIndexListGoesStraightToListingOrForbidden)
{
    location_.index.clear();
    dir_.write("dir/index.html", "x");
    EXPECT_EQ(FILE_FORBIDDEN, resolve("/dir/").kind);
    location_.autoindex = true;
    EXPECT_EQ(FILE_LISTING, resolve("/dir/").kind);
}

TEST_F(FileResolverTest, MappedPathWithoutTrailingSlashForADirectoryRequest)
{
    // `location = /img/ { alias ROOT/dir; }` maps the directory request
    // "/img/" to "ROOT/dir", without the slash.
    dir_.write("dir/index.html", "x");
    ResolvedFile f = resolveFile(location_, "/img/", T() + "/dir");
    EXPECT_EQ(FILE_INDEX, f.kind);
    EXPECT_EQ(T() + "/dir/index.html", f.path);
    EXPECT_EQ("/img/index.html", f.uri);
}

TEST_F(FileResolverTest, SpecialFilesAreForbidden)
{
    std::string fifo = T() + "/fifo";
    ASSERT_EQ(0, mkfifo(fifo.c_str(), 0644));
    ResolvedFile f = resolve("/fifo");
    EXPECT_EQ(FILE_FORBIDDEN, f.kind);
    EXPECT_EQ(fifo, f.path);
}

TEST_F(FileResolverTest, SymlinkToAFileIsFollowed)
{
    std::string link = T() + "/link.txt";
    ASSERT_EQ(0, symlink((T() + "/file.txt").c_str(), link.c_str()));
    ResolvedFile f = resolve("/link.txt");
    EXPECT_EQ(FILE_REGULAR, f.kind);
    EXPECT_EQ(5, f.info.st_size);
    std::string dangling = T() + "/dangling";
    ASSERT_EQ(0, symlink((T() + "/nowhere").c_str(), dangling.c_str()));
    EXPECT_EQ(FILE_NOT_FOUND, resolve("/dangling").kind);
}

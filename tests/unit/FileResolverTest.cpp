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

// ---------------------------------------------------------------- reasons

TEST_F(FileResolverTest, RefusalsSayWhyInNginxsWords)
{
    EXPECT_EQ("open() \"" + T() + "/missing.txt\" failed (2: No such file or directory)",
        resolve("/missing.txt").reason);
    EXPECT_EQ("open() \"" + T() + "/file.txt/x\" failed (20: Not a directory)",
        resolve("/file.txt/x").reason);
    // A directory request names the index file, as nginx's index module does.
    EXPECT_EQ("\"" + T() + "/missing/index.html\" is not found (2: No such file or directory)",
        resolve("/missing/").reason);
    EXPECT_EQ("\"" + T() + "/file.txt/index.html\" is not found (20: Not a directory)",
        resolve("/file.txt/").reason);
    EXPECT_EQ("directory index of \"" + T() + "/dir/\" is forbidden", resolve("/dir/").reason);
    ASSERT_EQ(0, mkfifo((T() + "/fifo").c_str(), 0644));
    EXPECT_EQ("\"" + T() + "/fifo\" is not a regular file", resolve("/fifo").reason);
    EXPECT_EQ("", resolve("/file.txt").reason);
}

TEST_F(FileResolverTest, ALinkLoopIsForbidden)
{
    // open() fails with ELOOP; nginx answers that with 403.
    ASSERT_EQ(0, symlink("loop-b", (T() + "/loop-a").c_str()));
    ASSERT_EQ(0, symlink("loop-a", (T() + "/loop-b").c_str()));
    ResolvedFile f = resolve("/loop-a");
    EXPECT_EQ(FILE_FORBIDDEN, f.kind);
    EXPECT_EQ("open() \"" + T() + "/loop-a\" failed (40: Too many levels of symbolic links)", f.reason);
}

TEST_F(FileResolverTest, RegularFileRefusesDirectoriesAndMissingFiles)
{
    ResolvedFile f = resolveRegularFile(location_, T() + "/file.txt");
    EXPECT_EQ(FILE_REGULAR, f.kind);
    EXPECT_EQ(5, f.info.st_size);
    f = resolveRegularFile(location_, T() + "/dir");
    EXPECT_EQ(FILE_FORBIDDEN, f.kind);
    EXPECT_EQ("\"" + T() + "/dir\" is not a regular file", f.reason);
    f = resolveRegularFile(location_, T() + "/missing.py");
    EXPECT_EQ(FILE_NOT_FOUND, f.kind);
    EXPECT_EQ("open() \"" + T() + "/missing.py\" failed (2: No such file or directory)", f.reason);
    EXPECT_EQ(403, refusalStatus(FILE_FORBIDDEN));
    EXPECT_EQ(404, refusalStatus(FILE_NOT_FOUND));
    EXPECT_EQ(500, refusalStatus(FILE_ERROR));
}

// ---------------------------------------------------------------- disable_symlinks

namespace {

// A tree with every kind of link, under T():
//   real/file.txt, real/index.html
//   file-link -> file.txt        dir-link -> real      chain -> file-link
//   dangling -> nowhere          real/link-index/index.html -> ../file.txt
class FileResolverTestSymlinkPolicy : public FileResolverTest {
protected:
    FileResolverTestSymlinkPolicy()
    {
        dir_.write("real/file.txt", "real");
        dir_.write("real/index.html", "index");
        dir_.mkdir("real/link-index");
        link("file.txt", "file-link");
        link("real", "dir-link");
        link("file-link", "chain");
        link("nowhere", "dangling");
        link("../file.txt", "real/link-index/index.html");
    }

    void link(const std::string& target, const std::string& name)
    {
        ASSERT_EQ(0, symlink(target.c_str(), (T() + "/" + name).c_str())) << name;
    }

    void policy(SymlinkMode mode, const std::string& from = "")
    {
        location_.symlinks.mode = mode;
        location_.symlinks.from = from;
    }

    int check(const std::string& relative)
    {
        StatCache stats;
        return checkSymlinks(location_.symlinks, T() + relative, stats);
    }

    std::string refused(const std::string& relative) const
    {
        return "openat() \"" + T() + relative + "\" failed (40: Too many levels of symbolic links)";
    }
};

}

TEST_F(FileResolverTestSymlinkPolicy, OffFollowsEveryLink)
{
    EXPECT_EQ(FILE_REGULAR, resolve("/file-link").kind);
    EXPECT_EQ(FILE_REGULAR, resolve("/chain").kind);
    EXPECT_EQ(FILE_REGULAR, resolve("/dir-link/file.txt").kind);
    EXPECT_EQ(FILE_ADD_SLASH, resolve("/dir-link").kind);
    EXPECT_EQ(FILE_INDEX, resolve("/dir-link/").kind);
    EXPECT_EQ(FILE_INDEX, resolve("/real/link-index/").kind);
    ResolvedFile dangling = resolve("/dangling");
    EXPECT_EQ(FILE_NOT_FOUND, dangling.kind);
    EXPECT_EQ("open() \"" + T() + "/dangling\" failed (2: No such file or directory)", dangling.reason);
    EXPECT_EQ(0, check("/dangling"));
}

TEST_F(FileResolverTestSymlinkPolicy, OnRefusesALinkInAnyComponent)
{
    policy(SYMLINKS_REFUSE);
    EXPECT_EQ(FILE_REGULAR, resolve("/real/file.txt").kind);
    EXPECT_EQ(FILE_INDEX, resolve("/real/").kind);
    for (const char* path : { "/file-link", "/chain", "/dangling", "/dir-link", "/dir-link/",
             "/dir-link/file.txt", "/dir-link/missing.txt" }) {
        ResolvedFile f = resolve(path);
        EXPECT_EQ(FILE_FORBIDDEN, f.kind) << path;
        EXPECT_EQ(refused(path), f.reason) << path;
        EXPECT_EQ(ELOOP, check(path)) << path;
    }
    // An index file that is a link: the directory is refused, naming it.
    ResolvedFile index = resolve("/real/link-index/");
    EXPECT_EQ(FILE_FORBIDDEN, index.kind);
    EXPECT_EQ(refused("/real/link-index/index.html"), index.reason);
    // Not a link, not there: a plain 404, in openat()'s words.
    ResolvedFile missing = resolve("/real/missing.txt");
    EXPECT_EQ(FILE_NOT_FOUND, missing.kind);
    EXPECT_EQ("openat() \"" + T() + "/real/missing.txt\" failed (2: No such file or directory)",
        missing.reason);
    EXPECT_EQ(ENOENT, check("/real/missing.txt"));
}

TEST_F(FileResolverTestSymlinkPolicy, FromLeavesTheLeadingPartUnchecked)
{
    // from= is the link itself: it and what is above it go unchecked.
    policy(SYMLINKS_REFUSE, T() + "/dir-link");
    EXPECT_EQ(FILE_REGULAR, resolve("/dir-link/file.txt").kind);
    EXPECT_EQ(FILE_INDEX, resolve("/dir-link/").kind);
    EXPECT_EQ(FILE_ADD_SLASH, resolve("/dir-link").kind);     // the whole path
    EXPECT_EQ(FILE_FORBIDDEN, resolve("/file-link").kind);    // not below from=
    // A trailing slash is the same leading part.
    policy(SYMLINKS_REFUSE, T() + "/dir-link/");
    EXPECT_EQ(0, check("/dir-link/file.txt"));
    // Below from=, links are checked again.
    policy(SYMLINKS_REFUSE, T() + "/real");
    EXPECT_EQ(ELOOP, check("/real/link-index/index.html"));
    // Not a leading part ending at a component: everything is checked.
    policy(SYMLINKS_REFUSE, T() + "/dir-li");
    EXPECT_EQ(ELOOP, check("/dir-link/file.txt"));
    policy(SYMLINKS_REFUSE, T() + "/elsewhere");
    EXPECT_EQ(ELOOP, check("/dir-link/file.txt"));
}

TEST_F(FileResolverTestSymlinkPolicy, IfNotOwnerRefusesALinkOwnedByAnotherUser)
{
    if (geteuid() != 0)
        GTEST_SKIP() << "lchown() to another user needs root";
    policy(SYMLINKS_OWNER_MATCH);
    // Same owner as the target (whoever made them): followed, chains too.
    EXPECT_EQ(FILE_REGULAR, resolve("/file-link").kind);
    EXPECT_EQ(FILE_REGULAR, resolve("/chain").kind);
    EXPECT_EQ(FILE_REGULAR, resolve("/dir-link/file.txt").kind);
    // The link given to another user: refused, wherever it is in the path.
    ASSERT_EQ(0, lchown((T() + "/dir-link").c_str(), 4242, static_cast<gid_t>(-1)));
    EXPECT_EQ(ELOOP, check("/dir-link"));
    ResolvedFile f = resolve("/dir-link/file.txt");
    EXPECT_EQ(FILE_FORBIDDEN, f.kind);
    EXPECT_EQ(refused("/dir-link/file.txt"), f.reason);
    // The target given to that user too: owners match again.
    ASSERT_EQ(0, chown((T() + "/real").c_str(), 4242, static_cast<gid_t>(-1)));
    EXPECT_EQ(FILE_REGULAR, resolve("/dir-link/file.txt").kind);
    // A chain compares its first link with the file at its end.
    ASSERT_EQ(0, chown((T() + "/file.txt").c_str(), 4242, static_cast<gid_t>(-1)));
    EXPECT_EQ(ELOOP, check("/chain"));
    // A dangling link has no owner to compare: the file is not found.
    ResolvedFile dangling = resolve("/dangling");
    EXPECT_EQ(FILE_NOT_FOUND, dangling.kind);
    EXPECT_EQ("openat() \"" + T() + "/dangling\" failed (2: No such file or directory)", dangling.reason);
}

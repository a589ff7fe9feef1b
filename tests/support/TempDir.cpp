#include "support/TempDir.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path)
{
    throw std::runtime_error(what + " \"" + path + "\": " + std::strerror(errno));
}

int removeEntry(const char* path, const struct stat*, int, struct FTW*)
{
    // Directories come after their content (FTW_DEPTH); make sure a test that
    // chmod'ed something does not leave it behind.
    if (::remove(path) != 0) {
        ::chmod(path, 0700);
        ::remove(path);
    }
    return 0;
}

void makeDirectories(const std::string& path)
{
    std::string::size_type pos = 1;
    while (pos <= path.size()) {
        std::string::size_type slash = path.find('/', pos);
        if (slash == std::string::npos)
            slash = path.size();
        std::string prefix = path.substr(0, slash);
        if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST)
            fail("mkdir", prefix);
        pos = slash + 1;
    }
}

std::string parentOf(const std::string& path)
{
    return path.substr(0, path.rfind('/'));
}

}

TempDir::TempDir()
{
    char pattern[] = "/tmp/webserv-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr)
        fail("mkdtemp", pattern);
    char resolved[PATH_MAX];
    if (::realpath(pattern, resolved) == nullptr)
        fail("realpath", pattern);
    path_ = resolved;
}

TempDir::~TempDir()
{
    ::nftw(path_.c_str(), removeEntry, 16, FTW_DEPTH | FTW_PHYS);
}

std::string TempDir::file(const std::string& relative) const
{
    return path_ + "/" + relative;
}

std::string TempDir::write(const std::string& relative, const std::string& content,
    mode_t mode) const
{
    std::string full = file(relative);
    makeDirectories(parentOf(full));
    int fd = ::open(full.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        fail("open", full);
    std::string::size_type done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            ::close(fd);
            fail("write", full);
        }
        done += static_cast<std::string::size_type>(n);
    }
    ::close(fd);
    if (::chmod(full.c_str(), mode) != 0)
        fail("chmod", full);
    return full;
}

std::string TempDir::mkdir(const std::string& relative) const
{
    std::string full = file(relative);
    makeDirectories(full);
    return full;
}

ScopedChdir::ScopedChdir(const std::string& directory)
{
    char buf[PATH_MAX];
    if (::getcwd(buf, sizeof buf) == nullptr)
        fail("getcwd", ".");
    previous_ = buf;
    if (::chdir(directory.c_str()) != 0)
        fail("chdir", directory);
}

ScopedChdir::~ScopedChdir()
{
    if (::chdir(previous_.c_str()) != 0)
        std::abort();   // every later test would run in the wrong place
}

ScopedEnv::ScopedEnv(const std::string& name, const std::string& value)
    : name_(name), hadValue_(false)
{
    const char* old = std::getenv(name.c_str());
    if (old) {
        hadValue_ = true;
        previous_ = old;
    }
    ::setenv(name.c_str(), value.c_str(), 1);
}

ScopedEnv::~ScopedEnv()
{
    if (hadValue_)
        ::setenv(name_.c_str(), previous_.c_str(), 1);
    else
        ::unsetenv(name_.c_str());
}

std::set<std::string> listDirectory(const std::string& path)
{
    std::set<std::string> names;
    DIR* dir = opendir(path.c_str());
    if (!dir)
        return names;
    while (dirent* entry = readdir(dir)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..")
            names.insert(name);
    }
    closedir(dir);
    return names;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path.c_str(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

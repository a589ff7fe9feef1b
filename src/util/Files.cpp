#include "util/Files.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/Strings.hpp"

namespace {

std::string currentDirectory()
{
    char buf[4096];
    if (getcwd(buf, sizeof buf) == 0)
        return "/";
    return buf;
}

}

std::string absolutePath(const std::string& path)
{
    std::string result = path;
    if (result.empty() || result[0] != '/') {
        std::string cwd = currentDirectory();
        if (result.empty() || result == ".")
            result = cwd;
        else
            result = (cwd == "/" ? "" : cwd) + "/" + (startsWith(result, "./") ? result.substr(2) : result);
    }
    while (result.size() > 1 && result[result.size() - 1] == '/')
        result.erase(result.size() - 1);
    return result;
}

std::string findInPath(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::vector<std::string> dirs = splitAny(path ? path : "/usr/bin:/bin", ":");
    for (size_t i = 0; i < dirs.size(); ++i) {
        std::string candidate = dirs[i] + "/" + name;
        if (isExecutableFile(candidate))
            return candidate;
    }
    return std::string();
}

bool isDirectory(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool pathExists(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

bool isExecutableFile(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

bool readWholeFile(const std::string& path, std::string* content, int* error)
{
    content->clear();
    *error = 0;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = errno;
        return false;
    }
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        content->append(buf, static_cast<std::string::size_type>(n));
    if (n < 0)
        *error = errno;
    close(fd);
    return *error == 0;
}

#ifndef WEBSERV_ROUTER_STATCACHE_HPP
#define WEBSERV_ROUTER_STATCACHE_HPP

// stat() results shared by the requests answered in one turn of the event
// loop: under load dozens of them ask for the same few files, and the path
// walk of each stat() is a large part of answering a small file. The server
// forgets everything before each turn's work and after every request that
// may have changed the file system (anything but a static GET or HEAD), so
// a result is never older than the turn. Failures are kept too (a 404 is
// as common as a 200).

#include <sys/stat.h>
#include <string>
#include <vector>

class StatCache {
public:
    StatCache();

    // stat(path): 0 with *info, or -1 with *error set to the errno.
    int stat(const std::string& path, struct stat* info, int* error);
    // lstat(path), the same way: a symbolic link is described, not followed.
    int lstat(const std::string& path, struct stat* info, int* error);
    void forget();

private:
    struct Entry {
        std::string path;
        bool follows;               // stat(), not lstat()
        int result;
        int error;
        struct stat info;
    };
    std::vector<Entry> entries_;    // a handful per turn: searched in order
    size_t used_;                   // entries_[0..used_) are valid
    size_t next_;                   // the one to fill next

    int query(const std::string& path, bool follow, struct stat* info, int* error);
};

#endif

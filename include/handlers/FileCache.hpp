#ifndef WEBSERV_HANDLERS_FILECACHE_HPP
#define WEBSERV_HANDLERS_FILECACHE_HPP

// Small static files kept in memory between requests. Every use is checked
// against the stat() the router made for this very request (device, inode,
// size, modification and change times to the nanosecond), so a file that
// changed on disk is read again: the cache saves open/read/close, never
// serves stale bytes. Bounded in total size; least recently used goes first.

#include <sys/stat.h>
#include <list>
#include <map>
#include <string>

#include "util/SharedBytes.hpp"

struct CachedFile {
    SharedBytes content;
    std::string lastModified;     // HTTP date of the mtime
    struct stat info;             // what the content was read under
};

class FileCache {
public:
    FileCache(size_t maxTotalBytes, size_t maxFileBytes);

    // Whether a file of this size is worth caching at all.
    bool accepts(off_t size) const;
    // The cached content of path if stat() still describes it as info; 0
    // when it is not cached (or changed, and then forgotten).
    const CachedFile* lookup(const std::string& path, const struct stat& info);
    // Reads path (which stat() just described as info) into the cache. 0
    // with *error (an HTTP status: 403, 404, 500) when it cannot be read.
    const CachedFile* load(const std::string& path, const struct stat& info, int* error);

private:
    typedef std::list<std::string> Recency;          // most recent first
    struct Entry {
        CachedFile file;
        Recency::iterator recency;
    };
    typedef std::map<std::string, Entry> Entries;

    void evictUntilFits(size_t incoming);
    void erase(Entries::iterator it);

    size_t maxTotalBytes_;
    size_t maxFileBytes_;
    size_t totalBytes_;
    Entries entries_;
    Recency recency_;
};

#endif

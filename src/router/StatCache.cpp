#include "router/StatCache.hpp"

#include <cerrno>

namespace {

// Beyond this many paths in one turn, the oldest are overwritten: a turn
// touching that many different files gains little from the cache anyway.
const size_t kMaxEntries = 32;

}

// Entries are made as the first turns need them, and kept for reuse: a
// StatCache that is never asked costs no allocation.
StatCache::StatCache()
    : used_(0), next_(0)
{
}

int StatCache::stat(const std::string& path, struct stat* info, int* error)
{
    return query(path, true, info, error);
}

int StatCache::lstat(const std::string& path, struct stat* info, int* error)
{
    return query(path, false, info, error);
}

int StatCache::query(const std::string& path, bool follow, struct stat* info, int* error)
{
    for (size_t i = 0; i < used_; ++i) {
        const Entry& entry = entries_[i];
        if (entry.follows == follow && entry.path == path) {
            *info = entry.info;
            *error = entry.error;
            return entry.result;
        }
    }
    if (next_ == entries_.size())
        entries_.push_back(Entry());
    Entry& entry = entries_[next_];
    next_ = (next_ + 1) % kMaxEntries;
    entry.path = path;
    entry.follows = follow;
    entry.result = follow ? ::stat(path.c_str(), &entry.info) : ::lstat(path.c_str(), &entry.info);
    entry.error = entry.result == 0 ? 0 : errno;
    if (used_ < kMaxEntries)
        ++used_;
    *info = entry.info;
    *error = entry.error;
    return entry.result;
}

void StatCache::forget()
{
    used_ = 0;
    next_ = 0;
}

#include "handlers/FileCache.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "util/Fd.hpp"
#include "util/Time.hpp"

namespace {

bool sameFile(const struct stat& a, const struct stat& b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size
        && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec
        && a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

int statusOfOpenError(int error)
{
    if (error == EACCES)
        return 403;
    return (error == ENOENT || error == ENOTDIR) ? 404 : 500;
}

// Reads a whole small regular file; false with *error on failure or when
// the file is not what info says any more.
bool readWhole(const std::string& path, const struct stat& info, std::string* content, int* error)
{
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid()) {
        *error = statusOfOpenError(errno);
        return false;
    }
    content->resize(static_cast<size_t>(info.st_size));
    size_t done = 0;
    while (done < content->size()) {
        ssize_t n = read(fd.get(), &(*content)[done], content->size() - done);
        if (n <= 0) {
            *error = 500;
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

}

FileCache::FileCache(size_t maxTotalBytes, size_t maxFileBytes)
    : maxTotalBytes_(maxTotalBytes), maxFileBytes_(maxFileBytes), totalBytes_(0)
{
}

bool FileCache::accepts(off_t size) const
{
    return size >= 0 && static_cast<size_t>(size) <= maxFileBytes_;
}

const CachedFile* FileCache::lookup(const std::string& path, const struct stat& info)
{
    Entries::iterator it = entries_.find(path);
    if (it == entries_.end())
        return 0;
    if (!sameFile(it->second.file.info, info)) {
        erase(it);
        return 0;
    }
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return &it->second.file;
}

const CachedFile* FileCache::load(const std::string& path, const struct stat& info, int* error)
{
    Entries::iterator it = entries_.find(path);
    if (it != entries_.end())
        erase(it);
    std::string content;
    if (!readWhole(path, info, &content, error))
        return 0;
    evictUntilFits(content.size());
    recency_.push_front(path);
    Entry& entry = entries_[path];
    entry.file.content = SharedBytes(content);
    entry.file.lastModified = httpDate(info.st_mtime);
    entry.file.info = info;
    entry.recency = recency_.begin();
    totalBytes_ += entry.file.content.size();
    return &entry.file;
}

void FileCache::evictUntilFits(size_t incoming)
{
    while (!recency_.empty() && totalBytes_ + incoming > maxTotalBytes_)
        erase(entries_.find(recency_.back()));
}

void FileCache::erase(Entries::iterator it)
{
    totalBytes_ -= it->second.file.content.size();
    recency_.erase(it->second.recency);
    entries_.erase(it);
}

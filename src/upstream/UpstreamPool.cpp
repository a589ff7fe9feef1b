#include "upstream/UpstreamPool.hpp"

#include <poll.h>
#include <unistd.h>

UpstreamPool::UpstreamPool(size_t maxIdlePerAddress, WaitingRule rule)
    : maxIdlePerAddress_(maxIdlePerAddress), rule_(rule), restricted_(false), reused_(0)
{
}

UpstreamPool::~UpstreamPool()
{
    for (std::map<std::string, Address>::iterator it = addresses_.begin(); it != addresses_.end(); ++it)
        for (size_t i = 0; i < it->second.idle.size(); ++i)
            close(it->second.idle[i]);
}

// A kept connection with anything to read is one the upstream closed (or
// one it wrote to out of turn): a poll() that does not wait tells, and it
// is closed instead of taken.
int UpstreamPool::take(const std::string& address)
{
    std::map<std::string, Address>::iterator it = addresses_.find(address);
    while (it != addresses_.end() && !it->second.idle.empty()) {
        int fd = it->second.idle.back();
        it->second.idle.pop_back();
        pollfd entry = { fd, POLLIN, 0 };
        if (poll(&entry, 1, 0) == 0) {
            ++reused_;
            return fd;
        }
        close(fd);
    }
    return -1;
}

void UpstreamPool::giveBack(const std::string& address, int fd)
{
    // A request that outlived a reload: its address may be named no more.
    if (restricted_ && !allowed_.count(address)) {
        close(fd);
        return;
    }
    Address& entry = addresses_[address];
    bool freshWaits = rule_ == CLOSE_WHILE_FRESH_WAITS && entry.waiting > 0;
    if (freshWaits || entry.idle.size() >= maxIdlePerAddress_) {
        close(fd);
        return;
    }
    entry.idle.push_back(fd);
}

void UpstreamPool::waiting(const std::string& address)
{
    ++addresses_[address].waiting;
}

void UpstreamPool::answered(const std::string& address)
{
    std::map<std::string, Address>::iterator it = addresses_.find(address);
    if (it != addresses_.end() && it->second.waiting > 0)
        --it->second.waiting;
}

void UpstreamPool::keepOnly(const std::set<std::string>& addresses)
{
    restricted_ = true;
    allowed_ = addresses;
    std::map<std::string, Address>::iterator it = addresses_.begin();
    while (it != addresses_.end()) {
        if (addresses.count(it->first) || it->second.waiting > 0) {
            ++it;
            continue;
        }
        for (size_t i = 0; i < it->second.idle.size(); ++i)
            close(it->second.idle[i]);
        addresses_.erase(it++);
    }
}

size_t UpstreamPool::idle() const
{
    size_t count = 0;
    for (std::map<std::string, Address>::const_iterator it = addresses_.begin(); it != addresses_.end(); ++it)
        count += it->second.idle.size();
    return count;
}

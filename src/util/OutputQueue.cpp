#include "util/OutputQueue.hpp"

#include <algorithm>
#include <sys/socket.h>
#include <sys/uio.h>

#include "util/Strings.hpp"

OutputQueue::OutputQueue()
    : sent_(0), sharedSent_(0), sentTotal_(0)
{
}

size_t OutputQueue::pending() const
{
    return bytes_.size() - sent_ + shared_.size() - sharedSent_;
}

std::string& OutputQueue::appendable()
{
    bytes_.erase(0, sent_);
    sent_ = 0;
    if (shared_.valid()) {
        bytes_.append(shared_.str(), sharedSent_, std::string::npos);
        shared_.reset();
        sharedSent_ = 0;
    }
    return bytes_;
}

void OutputQueue::appendShared(const SharedBytes& body)
{
    if (shared_.valid())
        appendable();
    shared_ = body;
    sharedSent_ = 0;
}

ssize_t OutputQueue::sendTo(int fd, int flags)
{
    struct iovec parts[2];
    int count = 0;
    if (sent_ < bytes_.size()) {
        parts[count].iov_base = const_cast<char*>(bytes_.data() + sent_);
        parts[count].iov_len = bytes_.size() - sent_;
        ++count;
    }
    if (sharedSent_ < shared_.size()) {
        parts[count].iov_base = const_cast<char*>(shared_.str().data() + sharedSent_);
        parts[count].iov_len = shared_.size() - sharedSent_;
        ++count;
    }
    if (count == 0)
        return 0;
    struct msghdr message = msghdr();
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<size_t>(count);
    ssize_t n = sendmsg(fd, &message, flags);
    if (n <= 0)
        return n;
    size_t left = static_cast<size_t>(n);
    sentTotal_ += left;
    size_t own = std::min(left, bytes_.size() - sent_);
    sent_ += own;
    sharedSent_ += left - own;
    return n;
}

void OutputQueue::clear()
{
    bytes_.clear();
    sent_ = 0;
    shared_.reset();
    sharedSent_ = 0;
}

void OutputQueue::release(size_t keepCapacity)
{
    clear();
    clearBuffer(bytes_, keepCapacity);
}

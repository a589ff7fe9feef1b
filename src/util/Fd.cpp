#include "util/Fd.hpp"

#include <fcntl.h>
#include <unistd.h>

Fd::Fd()
    : fd_(-1)
{
}

Fd::Fd(int fd)
    : fd_(fd)
{
}

Fd::~Fd()
{
    reset();
}

int Fd::release()
{
    int fd = fd_;
    fd_ = -1;
    return fd;
}

void Fd::reset(int fd)
{
    if (fd_ >= 0)
        close(fd_);
    fd_ = fd;
}

void Fd::swap(Fd& other)
{
    int fd = fd_;
    fd_ = other.fd_;
    other.fd_ = fd;
}

bool setNonBlockingCloexec(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return false;
    int fdFlags = fcntl(fd, F_GETFD);
    return fdFlags >= 0 && fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC) == 0;
}

struct pollfd pollEntry(int fd, short events)
{
    struct pollfd entry;
    entry.fd = fd;
    entry.events = events;
    entry.revents = 0;
    return entry;
}

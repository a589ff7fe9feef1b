#include "support/Gate.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

Gate::Gate(const std::string& path)
    : path_(path), fd_(-1)
{
    ::unlink(path_.c_str());
    EXPECT_EQ(0, ::mkfifo(path_.c_str(), 0600)) << std::strerror(errno);
}

Gate::~Gate()
{
    open();         // never leave a script blocked
    ::close(fd_);
    ::unlink(path_.c_str());
}

void Gate::open()
{
    if (fd_ < 0)
        fd_ = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    EXPECT_GE(fd_, 0) << std::strerror(errno);
}

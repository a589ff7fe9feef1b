#ifndef WEBSERV_UTIL_FD_HPP
#define WEBSERV_UTIL_FD_HPP

// Owns one file descriptor and closes it when destroyed. Not copyable: pass
// ownership explicitly with release()/reset().

#include <poll.h>

class Fd {
public:
    Fd();
    explicit Fd(int fd);
    ~Fd();

    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    // Gives up ownership without closing.
    int release();
    // Closes the current descriptor (if any) and takes fd.
    void reset(int fd = -1);
    void swap(Fd& other);

private:
    Fd(const Fd&);
    Fd& operator=(const Fd&);

    int fd_;
};

// O_NONBLOCK and FD_CLOEXEC on fd; false if fcntl() failed.
bool setNonBlockingCloexec(int fd);

// A poll() set entry asking for events on fd.
struct pollfd pollEntry(int fd, short events);

#endif

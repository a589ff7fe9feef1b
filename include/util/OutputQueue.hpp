#ifndef WEBSERV_UTIL_OUTPUTQUEUE_HPP
#define WEBSERV_UTIL_OUTPUTQUEUE_HPP

// What a connection has yet to send: bytes of its own, then possibly a
// shared body (a cached file's content) sent from where it lives, so that
// a large cached body is not copied once more on its way to the socket.
// Appending after a shared body copies what is left of it first: order is
// kept, and the common case (one response, nothing behind it) copies none.

#include <sys/types.h>
#include <string>

#include "util/SharedBytes.hpp"

class OutputQueue {
public:
    OutputQueue();

    // Bytes not sent yet.
    size_t pending() const;
    // Bytes ever sent, and ever queued (sent + pending): positions in the
    // connection's output stream, so that a response knows when its last
    // byte has left.
    unsigned long sentTotal() const { return sentTotal_; }
    unsigned long queuedTotal() const { return sentTotal_ + pending(); }
    bool empty() const { return pending() == 0; }

    // The buffer to append to: what was sent is dropped from its front and
    // a shared body is copied into it first.
    std::string& appendable();
    void appendShared(const SharedBytes& body);

    // One sendmsg() of what is pending (own bytes, then the shared body);
    // its result (0 when nothing is), the queue advanced past what went out.
    ssize_t sendTo(int fd, int flags);
    // Forgets what is pending (the stream positions stay where they are),
    // keeping the buffer's memory for the next bytes.
    void clear();
    // Forgets everything; the buffer keeps at most keepCapacity bytes.
    void release(size_t keepCapacity);

private:
    std::string bytes_;         // own bytes: bytes_[sent_..] to go
    size_t sent_;
    SharedBytes shared_;        // then shared_[sharedSent_..]
    size_t sharedSent_;
    unsigned long sentTotal_;
};

#endif

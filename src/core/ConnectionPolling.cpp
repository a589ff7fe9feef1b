// What the event loop asks of a connection: its descriptors, the events it
// waits for, its lane and its next deadline.

#include "core/Connection.hpp"

#include <poll.h>

#include "util/Strings.hpp"

namespace {

// Input kept while waiting for a CGI script; beyond it, reading pauses.
const size_t kMaxWaitingInput = 64 * 1024;
// Buffers above this size are freed when a connection goes idle, so idle
// keep-alive connections cost little memory; a busy one keeps them (freeing
// and growing them again for every response costs system calls).
const size_t kIdleBufferCapacity = 4096;

}

int Connection::endpointFd(int endpoint) const
{
    if (endpoint == CLIENT_SOCKET)
        return socket_.get();
    if (!cgi_.get())
        return -1;
    return endpoint == CGI_STDIN ? cgi_->stdinFd() : cgi_->stdoutFd();
}

short Connection::interest(int endpoint) const
{
    bool outputPending = !output_.empty();
    if (endpoint == CGI_STDIN)
        return cgi_.get() ? cgi_->stdinInterest() : 0;
    if (endpoint == CGI_STDOUT)
        return (cgi_.get() && !(state_ == WRITING && output_.pending() >= CgiExchange::kBufferLimit))
            ? cgi_->stdoutInterest() : 0;
    switch (state_) {
    case READING_BODY: {
        // A 100 Continue may be going out while the body comes in; a CGI
        // whose stdin is full pauses the reading.
        bool wantsBody = !cgi_.get() || cgi_->acceptsBody();
        return (wantsBody ? POLLIN : 0) | (outputPending ? POLLOUT : 0);
    }
    case WAITING_CGI:
        // Reading on notices a client that leaves (and keeps what it
        // pipelines, up to a limit); earlier answers may still go out.
        return (in_.size() < kMaxWaitingInput ? POLLIN : 0) | (outputPending ? POLLOUT : 0);
    case READING_HEAD:
        // Answers already queued go out while more requests come in, up
        // to a bound on what waits in the buffer.
        return (output_.pending() < kMaxQueuedOutput ? POLLIN : 0)
            | (outputPending ? POLLOUT : 0);
    case LINGERING:
        return POLLIN;
    case FLUSHING:
        return POLLOUT;
    case WRITING: {
        // Output a script already produced counts even when its pipe is
        // closed: nothing else would wake the connection up for it.
        bool cgiOutput = cgiStreaming_ && cgi_.get() && !cgi_->output().empty();
        short events = (outputPending || fileLeft_ > 0 || cgiOutput) ? POLLOUT : 0;
        // While a script is quiet, reading notices a client that leaves.
        if (cgiStreaming_ && in_.size() < kMaxWaitingInput)
            events |= POLLIN;
        return events;
    }
    case CLOSED:
        break;
    }
    return 0;
}

Connection::Activity Connection::activity() const
{
    if (state_ == READING_HEAD && handling_)
        return ACTIVITY_WRITING;        // answering the head just parsed
    if (state_ == READING_HEAD)
        return parser_.started() ? ACTIVITY_READING : ACTIVITY_WAITING;
    return state_ == READING_BODY ? ACTIVITY_READING : ACTIVITY_WRITING;
}

void Connection::releaseIdleBuffers()
{
    if (in_.empty())
        clearBuffer(in_, kIdleBufferCapacity);
    if (output_.empty())
        output_.release(kIdleBufferCapacity);
}

Connection::Lane Connection::lane(long now, long quietMs) const
{
    if (state_ != READING_HEAD || handling_ || !output_.empty() || cgi_.get())
        return LANE_ACTIVE;
    if (headStartedMs_ != 0 && now - headStartedMs_ >= quietMs)
        return LANE_SLOW;       // a head trickling in
    if (!parser_.started() && now - waitingSinceMs_ >= quietMs)
        return LANE_IDLE;
    return LANE_ACTIVE;
}

long Connection::deadline() const
{
    long cgiDeadline = cgi_.get() ? cgi_->deadline() : 0;
    if (deadline_ == 0 || (cgiDeadline != 0 && cgiDeadline < deadline_))
        return cgiDeadline;
    return deadline_;
}

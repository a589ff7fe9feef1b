#include "upstream/UpstreamConnection.hpp"

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>

UpstreamConnection::UpstreamConnection(UpstreamPool& pool, const UpstreamAddress& address)
    : pool_(pool),
      address_(address),
      connecting_(false),
      kept_(false),
      waiting_(false),
      answered_(false),
      replayable_(false),
      reusable_(true),
      sentAny_(false)
{
}

UpstreamConnection::~UpstreamConnection()
{
    stopWaiting();
}

bool UpstreamConnection::open(int* error)
{
    int fd = pool_.take(address_.text);
    if (fd >= 0) {
        socket_.reset(fd);
        kept_ = true;
        replayable_ = true;
        return true;
    }
    return connectFresh(error);
}

bool UpstreamConnection::connectFresh(int* error)
{
    int family = address_.socket.ss_family;
    socket_.reset(socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!socket_.valid()) {
        *error = errno;
        return false;
    }
    kept_ = false;
    replayable_ = false;
    std::string().swap(replay_);
    // EAGAIN from a unix socket is a full listen backlog, not a connect
    // under way.
    connecting_ = connect(socket_.get(), reinterpret_cast<const sockaddr*>(&address_.socket),
        address_.socketLength) != 0;
    if (connecting_ && errno != EINPROGRESS && (errno != EAGAIN || family == AF_UNIX)) {
        *error = errno;
        socket_.reset();
        connecting_ = false;
        return false;
    }
    pool_.waiting(address_.text);
    waiting_ = true;
    return true;
}

// The socket decides, not revents: after a retry, readiness polled for
// the previous socket may still be handed on for this one, so it is asked
// again (a poll() that does not wait).
bool UpstreamConnection::finishConnect(int* error)
{
    pollfd entry = { socket_.get(), POLLOUT, 0 };
    if (poll(&entry, 1, 0) <= 0)
        return true;
    *error = 0;
    socklen_t length = sizeof *error;
    if (getsockopt(socket_.get(), SOL_SOCKET, SO_ERROR, error, &length) != 0)
        *error = errno;
    connecting_ = false;
    return *error == 0;
}

void UpstreamConnection::queue(const std::string& bytes)
{
    out_ += bytes;
    if (!replayable_)
        return;
    if (replay_.size() + bytes.size() > kReplayLimit) {
        replayable_ = false;
        std::string().swap(replay_);
        return;
    }
    replay_ += bytes;
}

bool UpstreamConnection::flush(int* error)
{
    if (out_.empty())
        return true;
    ssize_t n = send(socket_.get(), out_.data(), out_.size(), MSG_NOSIGNAL);
    if (n < 0) {
        *error = errno;
        return *error == EAGAIN || *error == EINTR;
    }
    sentAny_ = sentAny_ || n > 0;
    out_.erase(0, static_cast<size_t>(n));
    return true;
}

void UpstreamConnection::abandonOutput()
{
    std::string().swap(out_);
    std::string().swap(replay_);
    replayable_ = false;
    reusable_ = false;
}

ssize_t UpstreamConnection::receive(char* buffer, size_t len)
{
    ssize_t n = recv(socket_.get(), buffer, len, 0);
    if (n > 0 && !answered_) {
        answered_ = true;
        replayable_ = false;
        std::string().swap(replay_);
        stopWaiting();
    }
    return n;
}

bool UpstreamConnection::retry(bool idempotent, int* error)
{
    *error = 0;
    if (!kept_ || answered_ || !replayable_ || (sentAny_ && !idempotent))
        return false;
    // An answer may be waiting behind the failed send (an upstream that
    // answered early and closed, leaving the rest unread): it is read
    // rather than the request sent again. A poll() that does not wait.
    pollfd entry = { socket_.get(), POLLIN, 0 };
    if (sentAny_ && poll(&entry, 1, 0) > 0 && (entry.revents & POLLIN)) {
        char byte;
        if (recv(socket_.get(), &byte, 1, MSG_PEEK) > 0)
            return false;
    }
    sentAny_ = false;
    std::string again;
    again.swap(replay_);
    socket_.reset();
    if (!connectFresh(error))
        return false;
    out_.swap(again);
    return true;
}

void UpstreamConnection::finish(bool reusable)
{
    stopWaiting();
    if (reusable && reusable_ && socket_.valid() && out_.empty())
        pool_.giveBack(address_.text, socket_.release());
    socket_.reset();
}

void UpstreamConnection::stopWaiting()
{
    if (waiting_)
        pool_.answered(address_.text);
    waiting_ = false;
}

// What the event loop asks of a connection: its descriptors, the events it
// waits for, its lane and its next deadline.

#include "core/Connection.hpp"

#include <poll.h>

#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

// Input kept while an upstream works; beyond it, reading pauses.
const size_t kMaxWaitingInput = 64 * 1024;

}

Upstream::Channel Connection::channelOf(int endpoint)
{
    return endpoint == UPSTREAM_SEND ? Upstream::TO_UPSTREAM : Upstream::FROM_UPSTREAM;
}

int Connection::endpointFd(int endpoint) const
{
    if (endpoint == CLIENT_SOCKET)
        return socket_.get();
    return exchange_.upstreamFd(channelOf(endpoint));
}

short Connection::interest(int endpoint) const
{
    if (endpoint == UPSTREAM_RECEIVE && (state_ == SENDING || state_ == TUNNELLING)
        && output_.pending() >= BodySource::kOutputHighWater)
        return 0;           // the client has not taken the last piece yet
    if (endpoint != CLIENT_SOCKET)
        return exchange_.upstreamInterest(channelOf(endpoint));
    short output = output_.empty() ? 0 : POLLOUT;
    switch (state_) {
    case NEW:
    case IDLE:
    case READING_HEAD:
        // Answers already queued go out while more requests come in, up
        // to a bound on what waits in the buffer.
        return (output_.pending() < kMaxQueuedOutput ? POLLIN : 0) | output;
    case READING_BODY:
        // A 100 Continue may be going out while the body comes in; an
        // upstream whose stdin is full pauses the reading.
        return (exchange_.acceptsBody() ? POLLIN : 0) | output;
    case DISCARDING_BODY:
        return POLLIN | output;
    case WAITING_UPSTREAM:
        // Reading on notices a client that leaves (and keeps what it
        // pipelines, up to a limit); earlier answers may still go out.
        return (in_.size() < kMaxWaitingInput ? POLLIN : 0) | output;
    case SENDING:
        // While an upstream is quiet, reading notices a client that leaves.
        return (exchange_.streamsFromUpstream() && in_.size() < kMaxWaitingInput ? POLLIN : 0)
            | output;
    case TUNNELLING:
        // The client's bytes wait while the upstream's side is full.
        return (exchange_.acceptsBody() ? POLLIN : 0) | output;
    case FLUSHING:
    case FLUSHING_TO_LINGER:
        return POLLOUT;
    case LINGERING:
        return POLLIN;
    case ANSWERING:
    case CLOSED:
        break;
    }
    return 0;
}

Connection::Activity Connection::activity() const
{
    switch (state_) {
    case NEW:
    case IDLE:
        return ACTIVITY_WAITING;
    case READING_HEAD:
    case READING_BODY:
    case DISCARDING_BODY:
        return ACTIVITY_READING;
    default:
        return ACTIVITY_WRITING;
    }
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
    if (!output_.empty() || now - stateSinceMs_ < quietMs)
        return LANE_ACTIVE;
    if (state_ == NEW || state_ == IDLE)
        return LANE_IDLE;
    return state_ == READING_HEAD ? LANE_SLOW : LANE_ACTIVE;
}

long Connection::deadline() const
{
    return earliestDeadline(deadline_, exchange_.deadline());
}

// The connection's driver: the I/O that readiness allows, then step(),
// which runs the state's work until the state stops changing. Only step()
// calls enter(); every state's work returns the state to go to.

#include "core/Connection.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/Listener.hpp"
#include "util/Strings.hpp"

namespace {

const size_t kReadChunk = 64 * 1024;
const long kLingerMs = 2000;

}

Connection::Connection(ServerContext& server, Fd& socket, long now)
    : state_(NEW),
      now_(now),
      stateSinceMs_(now),
      inPos_(0),
      exchange_(server, clientAddressOf(socket.get()))
{
    socket_.swap(socket);
    headerTimeoutMs_ = exchange_.timeout(&BlockSettings::clientHeaderTimeoutMs);
    deadline_ = now + headerTimeoutMs_;
}

void Connection::onReady(Endpoint endpoint, short revents, long now)
{
    now_ = now;
    if (endpoint != CLIENT_SOCKET) {
        exchange_.onUpstreamReady(channelOf(endpoint), revents);
        step(EVENT_PROGRESS);
        return;
    }
    short wanted = interest(CLIENT_SOCKET);
    bool handled = false;
    bool alive = true;
    if ((wanted & POLLOUT) && (revents & (POLLOUT | POLLHUP | POLLERR))) {
        alive = writeOutput();
        handled = true;
    }
    if (alive && (wanted & POLLIN) && (revents & (POLLIN | POLLHUP | POLLERR))) {
        alive = readInput();
        handled = true;
    }
    if (!handled && (revents & (POLLERR | POLLHUP | POLLNVAL)))
        alive = false;
    step(alive ? EVENT_PROGRESS : EVENT_SOCKET_GONE);
}

void Connection::onTimeout(long now)
{
    now_ = now;
    step(EVENT_TIMEOUT);
}

void Connection::step(Event event)
{
    if (event == EVENT_SOCKET_GONE && state_ != CLOSED)
        enter(CLOSED);
    if (event == EVENT_TIMEOUT) {
        State next = expire();
        if (next != state_)
            enter(next);
    }
    for (State before = CLOSED; state_ != before && state_ != CLOSED;) {
        before = state_;
        State next = advance();
        if (next != state_)
            enter(next);
    }
    // Output queued by the step (an upstream's next piece) starts the clock.
    if (state_ == SENDING && deadline_ == 0)
        deadline_ = sendDeadline();
    // Consumed bytes go now, so the buffer never grows past what is pending.
    in_.erase(0, inPos_);
    inPos_ = 0;
    // The parser copies a head's lines into the request as they complete:
    // the room a long line needed is not kept beside its copy.
    if (in_.empty() && state_ == READING_HEAD)
        clearBuffer(in_, kIdleBufferCapacity);
}

// The work of the current state with what is buffered; the state to go to.
Connection::State Connection::advance()
{
    switch (state_) {
    case NEW:
    case IDLE:
    case READING_HEAD:
        return readHead();
    case ANSWERING:
        return after(exchange_.begin(now_, output_));
    case READING_BODY:
    case DISCARDING_BODY:
        return readBody();
    case WAITING_UPSTREAM:
    case SENDING:
        return after(exchange_.pump(now_, output_));
    case TUNNELLING:
        return relayTunnel();
    case FLUSHING:
        return output_.empty() ? CLOSED : FLUSHING;
    case FLUSHING_TO_LINGER:
        return output_.empty() ? LINGERING : FLUSHING_TO_LINGER;
    case LINGERING:
    case CLOSED:
        break;
    }
    return state_;
}

// A deadline has passed: the upstream's (its cgi_timeout; the state's work
// then sees what became of it), or the state's own.
Connection::State Connection::expire()
{
    long upstream = exchange_.deadline();
    if (upstream != 0 && upstream <= now_) {
        exchange_.onTimeout(now_);
        return state_;
    }
    // The body waits for an upstream that is slow to read it: that is the
    // upstream's timer's to judge (proxy_send_timeout), not the client's.
    if (state_ == READING_BODY && !exchange_.acceptsBody() && exchange_.deadline() != 0) {
        deadline_ = now_ + exchange_.timeout(&BlockSettings::clientBodyTimeoutMs);
        return state_;
    }
    if (state_ == READING_HEAD || state_ == READING_BODY)
        return after(exchange_.fail(408, now_, output_));
    return CLOSED;
}

Connection::State Connection::readHead()
{
    if (output_.pending() >= kMaxQueuedOutput)
        return state_;      // enough answers wait; the rest when they are out
    size_t consumed = 0;
    RequestParser::Result result = parser_.parse(in_.data() + inPos_, in_.size() - inPos_,
        &consumed, exchange_.request());
    inPos_ += consumed;
    if (result == RequestParser::FAILED)
        return after(exchange_.fail(parser_.errorStatus(), now_, output_));
    if (result == RequestParser::DONE)
        return ANSWERING;
    return parser_.started() ? READING_HEAD : state_;
}

Connection::State Connection::readBody()
{
    size_t consumed = 0;
    State next = after(exchange_.readBody(in_.data() + inPos_, in_.size() - inPos_, &consumed,
        now_, output_));
    inPos_ += consumed;
    if (next == state_ && consumed > 0)
        deadline_ = now_ + exchange_.timeout(&BlockSettings::clientBodyTimeoutMs);
    return next;
}

// The client's bytes go to the upstream as the exchange takes them.
Connection::State Connection::relayTunnel()
{
    size_t consumed = 0;
    State next = after(exchange_.tunnel(in_.data() + inPos_, in_.size() - inPos_, &consumed,
        now_, output_));
    inPos_ += consumed;
    return next;
}

Connection::State Connection::after(Exchange::Next next) const
{
    switch (next) {
    case Exchange::NEXT_READ_BODY: return READING_BODY;
    case Exchange::NEXT_DISCARD_BODY: return DISCARDING_BODY;
    case Exchange::NEXT_WAIT: return WAITING_UPSTREAM;
    case Exchange::NEXT_STREAM: return SENDING;
    case Exchange::NEXT_TUNNEL: return TUNNELLING;
    case Exchange::NEXT_KEEP_ALIVE: return IDLE;
    case Exchange::NEXT_CLOSE: return FLUSHING;
    case Exchange::NEXT_LINGER: return FLUSHING_TO_LINGER;
    case Exchange::NEXT_ABORT: break;
    }
    return CLOSED;
}

// What each state needs on entry: its deadline, and the ends of things.
void Connection::enter(State next)
{
    State previous = state_;
    state_ = next;
    stateSinceMs_ = now_;
    switch (next) {
    case NEW:
    case ANSWERING:
        break;
    case IDLE:
        // The finished request's location decides how long we wait.
        parser_.reset();
        exchange_.reset();
        deadline_ = now_ + exchange_.timeout(&BlockSettings::keepaliveTimeoutMs);
        break;
    case READING_HEAD:
        // A fresh connection's clock has run since the accept.
        if (previous != NEW)
            deadline_ = now_ + headerTimeoutMs_;
        break;
    case READING_BODY:
    case DISCARDING_BODY:
        deadline_ = now_ + exchange_.timeout(&BlockSettings::clientBodyTimeoutMs);
        break;
    case WAITING_UPSTREAM:
    case TUNNELLING:
        deadline_ = 0;      // the upstream's own timer runs (proxy_read_timeout)
        break;
    case SENDING:
    case FLUSHING:
    case FLUSHING_TO_LINGER:
        deadline_ = now_ + exchange_.timeout(&BlockSettings::sendTimeoutMs);
        break;
    case LINGERING:
        shutdown(socket_.get(), SHUT_WR);
        deadline_ = now_ + kLingerMs;
        break;
    case CLOSED:
        exchange_.onClosed(output_.sentTotal());
        socket_.reset();
        deadline_ = 0;
        break;
    }
}

// send_timeout counts while the client has something to take: the quiet
// spells of a body an upstream streams (an event stream) are the
// upstream's timer's (proxy_read_timeout, cgi_timeout).
long Connection::sendDeadline() const
{
    if (output_.empty() && exchange_.streamsFromUpstream())
        return 0;
    return now_ + exchange_.timeout(&BlockSettings::sendTimeoutMs);
}

// One read per readiness report: false for a read error or EOF (a
// half-closed client has nothing left to send us that we wait for).
bool Connection::readInput()
{
    char buffer[kReadChunk];
    ssize_t n = read(socket_.get(), buffer, sizeof buffer);
    if (n <= 0)
        return false;
    if (state_ != LINGERING)
        appendExactly(in_, buffer, static_cast<size_t>(n));
    return true;
}

// One send per readiness report: false when the socket failed.
bool Connection::writeOutput()
{
    ssize_t n = output_.sendTo(socket_.get(), lastWriteFlags());
    if (n <= 0)
        return false;
    if (state_ == SENDING)
        deadline_ = sendDeadline();
    // Its memory stays for the next piece or response; releaseIdleBuffers()
    // gives it back.
    if (output_.empty())
        output_.clear();
    exchange_.onSent(output_.sentTotal());
    return true;
}

// The last bytes before the socket's end are held back (Linux: MSG_MORE)
// so that close() or shutdown() sends them in one segment with the FIN, as
// nginx's TCP_CORK does: a packet less for every closed connection.
// (SIGPIPE is ignored process-wide: no MSG_NOSIGNAL needed.)
int Connection::lastWriteFlags() const
{
#ifdef MSG_MORE
    if (state_ == FLUSHING || state_ == FLUSHING_TO_LINGER)
        return MSG_MORE;
#endif
    return 0;
}

#ifndef WEBSERV_CORE_CONNECTION_HPP
#define WEBSERV_CORE_CONNECTION_HPP

// One client connection: its socket, the bytes buffered in both directions,
// its deadlines and its state. What a request means and how it is answered
// is the Exchange's job; the connection feeds it bytes and readiness and
// sends what it queues. It never blocks and never touches a descriptor
// unless the server reports it ready: onReady() and onTimeout() do the I/O
// poll() allowed and hand over to step(), the one driver of the state.

#include <string>

#include "core/PollSet.hpp"
#include "exchange/Exchange.hpp"
#include "exchange/ServerContext.hpp"
#include "http/RequestParser.hpp"
#include "util/Fd.hpp"
#include "util/OutputQueue.hpp"

class Connection : public PollClient {
public:
    // In processing order.
    enum State {
        NEW,                // accepted, no byte yet: client_header_timeout
                            // runs from the accept; silence closes it
        IDLE,               // kept alive between requests: keepalive_timeout
        READING_HEAD,       // a request head is arriving: client_header_timeout
        ANSWERING,          // the head is complete; the exchange decides (only
                            // ever seen during the step that parsed it)
        READING_BODY,       // the request body goes to its handler or upstream
        WAITING_UPSTREAM,   // the body is in; the upstream has not answered
        SENDING,            // the answer's body streams from a file or upstream
        TUNNELLING,         // after a proxied 101: bytes both ways, then close
        DISCARDING_BODY,    // the answer is queued; the body is read and dropped
        FLUSHING,           // no more requests: what is queued goes, then close
        FLUSHING_TO_LINGER, // the same, then LINGERING (after an error)
        LINGERING,          // write side shut; input read and dropped a while
        CLOSED              // finished; the server removes and deletes it
    };

    // The descriptors a connection may have in the poll set.
    enum Endpoint {
        CLIENT_SOCKET,
        UPSTREAM_SEND,      // towards the upstream: a CGI script's stdin
        UPSTREAM_RECEIVE,   // from the upstream: its stdout
        ENDPOINT_COUNT
    };

    // Takes socket, an accepted, non-blocking client socket, leaving it
    // empty; when the construction fails it is still the caller's.
    Connection(ServerContext& server, Fd& socket, long now);

    State state() const { return state_; }
    // For the status page: reading a request, working on / writing a
    // response, or idle between requests.
    enum Activity { ACTIVITY_READING, ACTIVITY_WRITING, ACTIVITY_WAITING };
    Activity activity() const;
    // The descriptor behind an endpoint, -1 when there is none now.
    int endpointFd(int endpoint) const;
    // The poll() events the current state waits for on an endpoint.
    short interest(int endpoint) const;
    // Where the server polls the socket (core/PollSet says how): a connection
    // that has waited a second or more for input, idle between requests or
    // with a request head trickling in (slowloris, a very slow link), is
    // polled apart, so hundreds of them do not weigh on every poll().
    // quietMs: how long a wait for input makes a connection leave LANE_ACTIVE.
    Lane lane(long now, long quietMs) const;
    // Gives back buffer memory beyond a few KiB; for LANE_IDLE connections.
    void releaseIdleBuffers();
    // Monotonic ms when onTimeout() is due; 0 for none.
    long deadline() const;

    void onReady(Endpoint endpoint, short revents, long now);
    void onTimeout(long now);

    // ConnectionEnding.cpp: ends that are not the request's.
    // What a full connection table may close to let a new client in:
    // nothing with a request being answered, a body arriving or a script
    // running; idle keep-alive connections (the client may reopen one at
    // no cost), and request heads trickling in for a second or more.
    enum Reclaim { RECLAIM_NEVER, RECLAIM_IDLE, RECLAIM_TRICKLING };
    Reclaim reclaimable(long now) const;
    // Since when it has waited in its state: the oldest go first.
    long waitingSince() const { return stateSinceMs_; }
    // Closes a reclaimable connection: an idle one at once, a trickling
    // head with a 408 that closes once sent (no lingering: the slot is
    // what is wanted).
    void reclaim(long now);
    // An allocation failed while it worked (std::bad_alloc out of
    // onReady() or onTimeout()). Its buffers go, and it ends: with a 503
    // and a close when an answer can still be queued (true), else closed
    // at once. Never throws.
    bool endForMemory(long now);
    // The graceful stop's time is up: closed at once, whatever it was doing.
    void endForShutdown(long now);

    // Changes whenever an endpoint's descriptor is replaced by a new one:
    // readiness reported for the old one in the same poll() pass must not
    // reach the new one.
    unsigned generation(int endpoint) const
    {
        return endpoint == CLIENT_SOCKET ? 0 : exchange_.upstreamGeneration();
    }

private:
    // Pipelined answers queued before the reading pauses until they are out.
    static const size_t kMaxQueuedOutput = 64 * 1024;
    // Buffers above this size are freed when a connection goes idle, so
    // idle keep-alive connections cost little memory (a busy one keeps
    // them: freeing and growing them for every response costs system
    // calls), and when a request head's bytes have all been parsed.
    static const size_t kIdleBufferCapacity = 4096;

    // What brought the driver here, besides bytes or readiness.
    enum Event { EVENT_PROGRESS, EVENT_TIMEOUT, EVENT_SOCKET_GONE };

    Connection(const Connection&);
    Connection& operator=(const Connection&);

    // The upstream's channel behind an endpoint other than the socket.
    static Upstream::Channel channelOf(int endpoint);

    // Connection.cpp: the driver and its states
    void step(Event event);
    State advance();
    State expire();
    State readHead();
    State readBody();
    State relayTunnel();
    State after(Exchange::Next next) const;
    void enter(State next);
    bool readInput();
    bool canStillAnswer() const;
    void dropInput();
    void abandon();
    bool writeOutput();
    long sendDeadline() const;
    int lastWriteFlags() const;

    Fd socket_;
    State state_;
    long now_;
    long stateSinceMs_;         // when state_ was entered
    long deadline_;             // of the state; an upstream has its own
    long headerTimeoutMs_;      // of the address's default server
    std::string in_;            // received, not yet consumed: in_[inPos_..]
    size_t inPos_;
    OutputQueue output_;        // to send
    RequestParser parser_;
    Exchange exchange_;         // the request being answered
};

#endif

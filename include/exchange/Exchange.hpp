#ifndef WEBSERV_EXCHANGE_EXCHANGE_HPP
#define WEBSERV_EXCHANGE_EXCHANGE_HPP

// One request's life, from its parsed head to the last byte of its answer:
// routing (with index files as internal redirects), session binding, the
// request policy (417, then 413 once `return` and allow_methods have let
// the request through, 100-continue, reading and dropping a body nobody
// needs), the handler or upstream that answers, the response's framing,
// and its access-log line. It never touches a socket: the connection feeds
// it bytes and readiness, and it queues the answer into the connection's
// OutputQueue. Every call returns what the connection should do next.
//
// A connection has one Exchange and runs its requests through it one
// after the other; nothing of one request is left for the next but the
// access-log lines of answers still being sent.

#include <sys/types.h>
#include <cstddef>
#include <memory>
#include <string>

#include "exchange/AccessControl.hpp"
#include "exchange/AnswerBody.hpp"
#include "exchange/AnswerLog.hpp"
#include "exchange/ServerContext.hpp"
#include "handlers/BodyHandler.hpp"
#include "http/BodyDecoder.hpp"
#include "http/Request.hpp"
#include "http/Response.hpp"
#include "http/Upstream.hpp"
#include "router/FileResolver.hpp"
#include "router/RequestContext.hpp"
#include "util/OutputQueue.hpp"

// Who is at both ends of the connection, for routing, CGI and logs.
struct ClientAddress {
    ListenAddress local;        // the address the connection arrived on
    std::string remoteAddress;
    unsigned short remotePort;
};

class Exchange {
public:
    enum Next {
        NEXT_READ_BODY,     // feed the request body to readBody()
        NEXT_DISCARD_BODY,  // the answer is queued; feed the body to
                            // readBody() anyway: it is read and dropped
        NEXT_WAIT,          // the upstream works; its descriptors wake us
        NEXT_STREAM,        // more of the body follows: pump() when the
                            // output has room
        NEXT_TUNNEL,        // a proxied 101: the client's bytes go to
                            // tunnel(), the upstream's come out of it
        NEXT_KEEP_ALIVE,    // the answer is queued; another request may follow
        NEXT_CLOSE,         // the answer is queued; close once it is sent
        NEXT_LINGER,        // ... close once sent, reading and dropping the
                            // client's input for a while (after an error)
        NEXT_ABORT          // the answer cannot be completed: close now
    };

    Exchange(ServerContext& server, const ClientAddress& client);
    ~Exchange();

    // The request the parser fills; valid until the next request starts.
    Request& request() { return request_; }

    // The head is complete.
    Next begin(long now, OutputQueue& out);
    // An error found before a head was complete, or a request timed out:
    // answered by the rules of the route (the default server's until a head
    // is complete), closing after.
    Next fail(int status, long now, OutputQueue& out);
    // Request body bytes as received (framed); *consumed of them are used.
    Next readBody(const char* data, size_t len, size_t* consumed, long now, OutputQueue& out);
    // Whether readBody() would take more bytes now (an upstream's stdin may
    // be full).
    bool acceptsBody() const;
    // The output has room, or the upstream has news: more of the answer.
    Next pump(long now, OutputQueue& out);
    // After NEXT_TUNNEL: the client's bytes as received (*consumed of them
    // are taken), and whatever the upstream sent meanwhile.
    Next tunnel(const char* data, size_t len, size_t* consumed, long now, OutputQueue& out);
    // Ready for the next request (after NEXT_KEEP_ALIVE).
    void reset();

    // The upstream's descriptors (-1: none now) and what to poll them for.
    int upstreamFd(Upstream::Channel channel) const;
    short upstreamInterest(Upstream::Channel channel) const;
    void onUpstreamReady(Upstream::Channel channel, short revents);
    // Changes whenever a new upstream starts (a CGI local redirect starts
    // another script): readiness of the old one's descriptors reported in
    // the same poll() pass must not reach the new one.
    unsigned upstreamGeneration() const { return upstreamGeneration_; }
    // True while the answer's body comes from an upstream.
    bool streamsFromUpstream() const;

    // The upstream's next timer (monotonic ms, 0 for none).
    long deadline() const;
    void onTimeout(long now);

    // A timeout of the request's location (keepalive, client_body, send).
    long timeout(long BlockSettings::*which) const;

    // The output stream has been sent up to sent / the connection ended.
    void onSent(unsigned long sent) { log_.onSent(sent); }
    void onClosed(unsigned long sent);
    // The connection ends for want of memory: the upstream and the body
    // handler go (a script is killed, an upload's files removed), nothing
    // is logged and nothing allocated.
    void abandon();

private:
    enum Phase {
        IDLE,               // no request (fail() uses the default route)
        DELAYED,            // limit_req: waiting for the bucket to drain
        ANSWERING,          // routed; deciding how to answer
        READING_BODY,       // into bodyHandler_ or upstream_
        WAITING_UPSTREAM,   // the body is in; no head from the upstream yet
        STREAMING,          // the head is queued; source_ gives the body
        TUNNELLING,         // a 101 is queued; bytes go both ways
        DISCARDING_BODY,    // answered; the body is read and dropped
        DONE                // answered and read; reset() for the next one
    };

    // What the connection may do once an answer is out, as far as the
    // request decides (the status, the client and the server have a say).
    enum Closing {
        KEEP_OPEN,
        DISCARD_THEN_KEEP_OPEN,     // after reading and dropping the body
        CLOSE_AFTER,
        LINGER_AFTER
    };

    Exchange(const Exchange&);
    Exchange& operator=(const Exchange&);

    // Exchange.cpp: the request and its policy
    void useCurrentConfig();
    void routeDefaults();
    void routeRequest();
    ResolvedFile resolveRequest(long now);
    Next answerRequest(long now, OutputQueue& out);
    // ExchangeAccess.cpp: the access phases
    Next passLimits(long now, OutputQueue& out);
    AccessVerdict passAccess(ResolvedFile* file, long now);
    Next refuseAccess(const AccessVerdict& verdict, OutputQueue& out);
    Next answerWithoutBody(int status, bool hasBody, OutputQueue& out);
    Next endBody(long now, OutputQueue& out);
    // ExchangeAnswer.cpp: the response
    Next answer(Closing closing, OutputQueue& out);
    void queueHead(Closing closing, OutputQueue& out);
    Next stream(OutputQueue& out);
    Next complete(OutputQueue& out);
    void expectLogLine(unsigned long bodyEnd);
    // ExchangeUpstream.cpp: requests answered by an upstream
    Next startUpstream(bool hasBody, long now, OutputQueue& out);
    bool answeredBeforeBody() const;
    Next answerFromUpstream(OutputQueue& out);
    Next followLocalRedirect(const std::string& location, long now, OutputQueue& out);
    Next startTunnel(OutputQueue& out);

    ServerContext& server_;
    ConfigGeneration* generation_;  // the configuration this request runs on
    ClientLimits client_;
    Request request_;
    RequestContext context_;
    Phase phase_;
    Next ending_;                   // once the answer is queued: NEXT_KEEP_ALIVE,
                                    // NEXT_DISCARD_BODY, NEXT_CLOSE or NEXT_LINGER
    BodyDecoder decoder_;
    std::auto_ptr<BodyHandler> bodyHandler_;    // reads this request's body
    std::auto_ptr<Upstream> upstream_;          // the script answering it
    unsigned upstreamGeneration_;
    int internalRedirects_;         // local redirects followed for it
    Response response_;
    AnswerBody body_;               // response_'s body, or upstream_'s
    unsigned long bodyStart_;       // where the body starts in the output stream
    long now_;
    AnswerLog log_;
};

#endif

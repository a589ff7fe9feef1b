#ifndef WEBSERV_HTTP_UPSTREAM_HPP
#define WEBSERV_HTTP_UPSTREAM_HPP

// Something that answers a request later, on its own descriptors: a CGI
// script today, a FastCGI server or a proxied HTTP server next. The
// exchange drives every upstream the same way:
//
//   start() → request body in (onBodyData/onBodyEnd, while acceptsBody())
//           → phase() HEAD_READY: head() is the answer's head
//           → body out through the BodySource side, pulled as the client
//             takes it, until ENDED (or FAILED: failureStatus())
//
// An upstream never touches a descriptor unless the owner reports poll()
// readiness for it; the owner polls fd(channel) for interest(channel).
// Destroying an upstream abandons it: its process or connection is ended
// and its descriptors are closed.

#include <sys/types.h>
#include <string>

#include "http/BodySource.hpp"
#include "http/HeaderMap.hpp"
#include "http/Request.hpp"

// The head of an upstream's answer, as the exchange turns it into the
// response head.
struct UpstreamHead {
    int status;                 // 200 unless the upstream said otherwise
    std::string reason;         // "" for the standard phrase
    HeaderMap fields;           // every other field (no framing fields)
    std::string location;       // "" when absent
    bool localRedirect;         // serve `location` instead (RFC 3875 §6.2.2)
    bool hasContentLength;
    off_t contentLength;

    UpstreamHead();
};

class Upstream : public BodySource {
public:
    enum Phase {
        RUNNING,        // started (or collecting the body); no head yet
        HEAD_READY,     // head() is parsed; body output follows
        ENDED,          // no more output will come than what is buffered
        FAILED          // failureStatus() says what to answer (502, 504)
    };

    // The descriptors an upstream may have: towards it (the request body)
    // and from it (its answer). One socket may be both.
    enum Channel { TO_UPSTREAM, FROM_UPSTREAM, CHANNEL_COUNT };

    // 0 when started, or the status to answer instead.
    virtual int start(BodyFraming framing, off_t contentLength) = 0;

    virtual bool acceptsBody() const = 0;
    // 0 to go on, or the status that ends the request.
    virtual int onBodyData(const char* data, size_t len) = 0;
    virtual int onBodyEnd() = 0;

    virtual int fd(Channel channel) const = 0;
    virtual short interest(Channel channel) const = 0;
    virtual void onReady(Channel channel, short revents) = 0;

    virtual Phase phase() const = 0;
    virtual const UpstreamHead& head() const = 0;
    virtual int failureStatus() const = 0;

    // Monotonic ms of the upstream's next timer, 0 for none.
    virtual long deadline() const = 0;
    virtual void onTimeout(long now) = 0;
};

#endif

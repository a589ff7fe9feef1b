#ifndef WEBSERV_HTTP_UPSTREAMREPLY_HPP
#define WEBSERV_HTTP_UPSTREAMREPLY_HPP

// A proxied server's whole answer to one request, read incrementally: the
// head (interim 1xx answers skipped, 101 kept for a tunnel), then the body
// decoded from its framing (Content-Length, chunked, until close), and
// whether the connection can carry another request afterwards. Pure: the
// upstream's bytes in; the head the client gets, the body's bytes and the
// reason for a failure in nginx's words out.
//
// The head the client gets (head()) is the upstream's minus what stays
// between the two servers: hop-by-hop fields, framing (set again for the
// client), and Server and Date (the proxy's own go out, as nginx's
// proxy_hide_header defaults do). After a 101 the body is every byte that
// follows, as it came: the tunnel's.

#include <sys/types.h>
#include <cstddef>
#include <string>

#include "http/BodyDecoder.hpp"
#include "http/Upstream.hpp"
#include "http/UpstreamResponse.hpp"

class UpstreamReply {
public:
    enum State {
        READING_HEAD,
        READING_BODY,   // head() is ready; body bytes follow
        COMPLETE,       // the body has ended (for a tunnel: the upstream closed)
        BROKEN          // error() says why: a bad head, a bad chunk, a body cut short
    };

    UpstreamReply();
    // For a request that is (headRequest) or is not a HEAD, and that did or
    // did not ask for an Upgrade (a 101 answers only that).
    void start(bool headRequest, bool upgradeAsked);

    // Takes data[0, len): decoded body bytes are appended to body. Returns
    // the state after them.
    State feed(const char* data, size_t len, std::string& body);
    // The upstream closed its side: COMPLETE for a body that ends so (or a
    // tunnel), BROKEN before the end of anything else.
    State onClose();

    State state() const { return state_; }
    const UpstreamHead& head() const { return head_; }
    bool tunnel() const { return head_.status == 101 && state_ != READING_HEAD; }
    // "sent invalid header line", "prematurely closed connection" ...
    // (after "upstream "); the same text tells which part failed.
    const std::string& error() const { return error_; }
    // COMPLETE, nothing after the body, and the upstream keeps the
    // connection open: it may carry the next request.
    bool reusable() const;

private:
    State fail(const std::string& reason);
    State takeHead(const char* data, size_t len, size_t* used);
    State takeBody(const char* data, size_t len, size_t* used, std::string& body);
    void makeClientHead();
    State complete();

    bool headRequest_;
    bool upgradeAsked_;
    UpstreamResponseParser parser_;
    UpstreamResponse response_;
    UpstreamHead head_;
    BodyDecoder chunks_;
    off_t remaining_;           // RESPONSE_LENGTH: body bytes still to come
    bool stray_;                // bytes came after the end
    State state_;
    std::string error_;
};

#endif

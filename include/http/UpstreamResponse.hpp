#ifndef WEBSERV_HTTP_UPSTREAMRESPONSE_HPP
#define WEBSERV_HTTP_UPSTREAMRESPONSE_HPP

// The head of a response from a proxied HTTP server (RFC 9112 §4-§6): its
// status line and header fields, read incrementally, and what frames the
// body after it (§6.3). Pure: bytes in, a head or the reason it is
// unusable out (the proxy then answers 502 and logs the reason).
//
// What is accepted is what the request parser accepts where the grammar is
// shared (tokens, field lines, no obs-fold, no control bytes), plus what
// responses allow: a missing reason phrase, bare LF line ends.

#include <sys/types.h>
#include <cstddef>
#include <string>

#include "http/HeaderMap.hpp"

enum ResponseFraming {
    RESPONSE_NO_BODY,       // the answer to HEAD, 1xx, 204, 304
    RESPONSE_LENGTH,        // Content-Length bytes
    RESPONSE_CHUNKED,       // Transfer-Encoding ending in chunked
    RESPONSE_UNTIL_CLOSE    // everything until the upstream closes
};

struct UpstreamResponse {
    int versionMinor;           // HTTP/1.x
    int status;
    std::string reason;
    HeaderMap headers;          // as received, framing fields included
    ResponseFraming framing;    // set by interpretResponse()
    off_t contentLength;        // RESPONSE_LENGTH only
    bool keepAlive;             // the connection may carry another request

    UpstreamResponse();
};

class UpstreamResponseParser {
public:
    enum Result {
        NEED_MORE,      // every byte given is taken; the head is not complete
        DONE,           // *response is filled in; *consumed ends after the head
        FAILED          // error() says why
    };

    static const size_t kMaxHeadBytes = 32 * 1024;
    static const size_t kMaxHeaderFields = 100;

    UpstreamResponseParser();
    void reset();

    // Takes bytes until the head is complete; *consumed says how many of
    // these were the head's (the rest is body, or the next response).
    Result parse(const char* data, size_t len, size_t* consumed, UpstreamResponse* response);

    // "sent no valid HTTP/1.0 header", "sent too big header", "sent invalid
    // header line" ... (nginx's words, after "upstream ").
    const std::string& error() const { return error_; }

private:
    Result fail(const std::string& reason);
    Result parseHead(const char* text, size_t len, UpstreamResponse* response);
    bool parseStatusLine(const std::string& line, UpstreamResponse* response);

    std::string head_;
    std::string error_;
    bool failed_;
};

// The framing and connection of a complete head, for a request that was
// (headRequest) or was not a HEAD. False with *error for framing that
// cannot be relayed: an invalid or conflicting Content-Length, a
// Transfer-Encoding list that is not a coding list.
bool interpretResponse(UpstreamResponse* response, bool headRequest, std::string* error);

#endif

#ifndef WEBSERV_HTTP_REQUEST_HPP
#define WEBSERV_HTTP_REQUEST_HPP

// A parsed request head, with the framing and connection facts the parser
// derived from its fields.

#include <sys/types.h>
#include <string>

#include "http/HeaderMap.hpp"

enum BodyFraming {
    BODY_NONE,
    BODY_LENGTH,        // Content-Length bytes
    BODY_CHUNKED        // Transfer-Encoding: chunked
};

enum Expectation {
    EXPECT_NOTHING,
    EXPECT_CONTINUE,    // Expect: 100-continue
    EXPECT_UNSUPPORTED  // any other Expect value: 417
};

struct Request {
    std::string method;
    std::string target;          // as received
    int versionMinor;            // 0 for HTTP/1.0; 1 for 1.1 and any 1.x, x >= 2
    std::string versionText;     // as received: "HTTP/1.1"
    std::string host;            // the Host field normalised (lower case, no
                                 // port), "" when there is none
    HeaderMap headers;
    BodyFraming framing;
    off_t contentLength;         // BODY_LENGTH only
    bool keepAlive;              // the client allows another request after this
    Expectation expectation;
    std::string unparsedLine;    // a request line refused: what came of it,
                                 // up to its first CR or LF, for the log

    Request();
    void clear();
    // "GET /x HTTP/1.1", for logs.
    std::string requestLine() const;
    // RFC 9110 §9.2.2: sent twice, it does what it does once (GET, HEAD,
    // OPTIONS, PUT, DELETE, TRACE), so an upstream may be asked again.
    bool idempotent() const;
};

#endif

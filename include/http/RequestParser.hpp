#ifndef WEBSERV_HTTP_REQUESTPARSER_HPP
#define WEBSERV_HTTP_REQUESTPARSER_HPP

// Incremental parser of a request head (request line + header fields,
// RFC 9112 §2-§6). Pure: bytes in, a Request or an HTTP error status out.
//
// It consumes whole lines only: the caller keeps the unconsumed tail and
// presents it again, followed by new bytes, on the next call. The result is
// the same however the input is split. Limits are checked as soon as the
// pending bytes break them, so an endless line is refused early.

#include <cstddef>

#include "http/Request.hpp"

class RequestParser {
public:
    enum Result {
        NEED_MORE,     // no complete head yet; call again with more bytes
        DONE,          // request is filled in; *consumed ends after the head
        FAILED         // errorStatus() says which HTTP error to answer
    };

    static const size_t kMaxRequestLine = 8 * 1024;     // without CRLF -> 414
                                                        // (400 if the method is
                                                        // longer)
    static const size_t kMaxHeaderBytes = 32 * 1024;    // header lines, with their
                                                        // line ends, not the empty
                                                        // line ending the head -> 431
    static const size_t kMaxHeaderFields = 100;         // -> 431

    RequestParser();
    // Ready for the next request on the same connection.
    void reset();

    Result parse(const char* data, size_t len, size_t* consumed, Request& request);

    int errorStatus() const { return error_; }
    // Whether any byte of a request (beyond leading empty lines) was seen:
    // a timeout then answers 408 rather than closing silently.
    bool started() const { return started_; }

private:
    enum State {
        REQUEST_LINE,  // before and in the request line
        HEADER_LINES   // after it, up to the empty line
    };

    Result fail(int status);
    Result completeLine(const char* line, size_t lineLen, Request& request);
    Result failRequestLine(int status, const char* line, size_t len, Request& request);
    Result checkPending(const char* line, size_t pending, Request& request);
    static int overlongLineStatus(const char* line);
    int parseRequestLine(const char* line, size_t len, Request& request);
    int parseHeaderLine(const char* line, size_t len, Request& request);

    State state_;
    size_t scanned_;       // bytes of the pending line already searched for LF
    size_t headerBytes_;
    size_t fieldCount_;
    bool started_;
    int error_;
};

// The semantic checks once the head is complete (Host, framing, Connection,
// Expect); fills the derived fields of request. 0 or an error status.
int interpretHead(Request& request);

#endif

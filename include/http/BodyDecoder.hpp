#ifndef WEBSERV_HTTP_BODYDECODER_HPP
#define WEBSERV_HTTP_BODYDECODER_HPP

// Incremental decoder of a request body framed by Content-Length or by
// chunked transfer coding (RFC 9112 §7.1). Pure, and zero-copy: each DATA
// result points into the caller's bytes. Chunk extensions are ignored and
// trailer fields read and dropped; the decoded bytes are the body.

#include <sys/types.h>
#include <cstddef>

#include "http/Request.hpp"

class BodyDecoder {
public:
    enum Result {
        NEED_MORE,     // every byte given was framing; call again with more
        DATA,          // *piece/*pieceLen: the next body bytes (inside data)
        DONE,          // the body is complete; *consumed ends after it
        FAILED         // errorStatus(): 400 bad framing, 413 over the limit
    };

    static const size_t kMaxTrailerBytes = 32 * 1024;

    BodyDecoder();
    // Starts a body; limit 0 means unlimited. Returns 413 at once when a
    // Content-Length is over the limit, else 0.
    int start(BodyFraming framing, off_t contentLength, off_t limit);

    // Consumes framing from data[0, len) up to and including the next piece
    // of body, which it returns as DATA. Call in a loop until NEED_MORE,
    // DONE or FAILED; *consumed bytes of data are used up in every case.
    Result next(const char* data, size_t len, size_t* consumed, const char** piece,
        size_t* pieceLen);

    bool done() const { return state_ == COMPLETE; }
    off_t received() const { return received_; }
    int errorStatus() const { return error_; }

private:
    enum State {
        LENGTH_DATA,      // Content-Length body
        SIZE_START,       // first hex digit of a chunk size
        SIZE,             // more hex digits
        SIZE_SPACE,       // whitespace after the size: only ';' may follow
        EXTENSION,        // ";..." up to the line end, ignored
        SIZE_LF,          // CR seen after the size line, LF must follow
        CHUNK_DATA,
        DATA_CR,          // CRLF (or LF) after chunk data
        DATA_LF,
        TRAILER_START,    // a trailer line or the final empty line
        TRAILER,          // inside a trailer line
        TRAILER_LF,       // CR seen in a trailer line
        FINAL_LF,         // CR seen on the final empty line
        COMPLETE,
        BROKEN
    };

    Result fail(int status);
    bool reject(int status);
    bool stepFraming(char c);
    bool endSizeLine();

    State state_;
    off_t remaining_;     // bytes left in the current chunk or body
    off_t chunkSize_;
    int sizeDigits_;
    size_t trailerBytes_;
    off_t received_;
    off_t limit_;
    int error_;
};

#endif

#ifndef WEBSERV_HTTP_BODYENCODER_HPP
#define WEBSERV_HTTP_BODYENCODER_HPP

// The writer side of message framing (RFC 9112 §6, §7.1), beside
// BodyDecoder: frames a response body that is produced piece by piece.
// Pure: bytes in, framed bytes appended to a string.
//
// - LENGTH: the head announced Content-Length; pieces pass unchanged and
//   anything beyond the length is cut (a script may write more than it
//   announced). Ending short leaves the message incomplete: the connection
//   must close.
// - CHUNKED: each piece becomes one chunk; finish() writes the last chunk.
// - UNTIL_CLOSE: HTTP/1.0 without a length; the body ends with the
//   connection.

#include <sys/types.h>
#include <cstddef>
#include <string>

class BodyEncoder {
public:
    enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE };

    BodyEncoder();
    // length: the Content-Length, for LENGTH only.
    void start(Framing framing, off_t length);

    // Frames data[0, take) into out, take being what the framing still
    // allows of len; returns take.
    size_t write(std::string& out, const char* data, size_t len);
    // Counts len body bytes a source appended itself, unframed (a file or
    // a body in memory under LENGTH).
    void wrote(size_t len);
    // The body has ended: CHUNKED writes its last chunk.
    void finish(std::string& out);

    bool chunked() const { return framing_ == CHUNKED; }
    // LENGTH: every announced byte is written; nothing more may come.
    bool complete() const { return framing_ == LENGTH && left_ == 0; }
    // LENGTH, after finish(): fewer bytes came than announced.
    bool shortOfLength() const { return framing_ == LENGTH && left_ > 0; }
    // Body bytes written, framing not counted.
    off_t bodyBytes() const { return written_; }

private:
    Framing framing_;
    off_t left_;
    off_t written_;
};

#endif

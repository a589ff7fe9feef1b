#ifndef WEBSERV_CGI_BODYSPOOL_HPP
#define WEBSERV_CGI_BODYSPOOL_HPP

// A request body kept until its upstream can take it whole: a chunked body
// is collected before a CGI script or a FastCGI responder starts on it, so
// that they get its CONTENT_LENGTH. In memory up to kMemoryLimit, then in
// an unlinked temporary file, gone with its descriptor whatever happens to
// the request.

#include <sys/types.h>
#include <string>

#include "router/RequestContext.hpp"
#include "util/Fd.hpp"

class BodySpool {
public:
    static const size_t kMemoryLimit = 64 * 1024;

    BodySpool();

    // Adds bytes at the end: 0, or 500 when the temporary file fails (the
    // failed call logged as the request's error).
    int append(const RequestContext& ctx, const char* data, size_t len);
    off_t size() const { return size_; }
    // After the last append: reading starts from the first byte.
    void rewind();
    // Moves the next piece (up to 64 KiB) to the end of out; false when
    // everything has been read.
    bool readInto(std::string& out);
    void discard();

private:
    static const char* temporaryPattern() { return "/tmp/webserv-body-XXXXXX"; }
    bool store(const char* data, size_t len, const char** failedCall);

    BodySpool(const BodySpool&);
    BodySpool& operator=(const BodySpool&);

    std::string memory_;
    Fd file_;
    off_t size_;
};

#endif

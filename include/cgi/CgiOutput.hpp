#ifndef WEBSERV_CGI_CGIOUTPUT_HPP
#define WEBSERV_CGI_CGIOUTPUT_HPP

// A script's output as it arrives, whoever carries it (a CGI pipe, FastCGI
// STDOUT records): first its header block, collected up to kMaxHeadBytes
// and parsed (cgi/CgiHead.hpp), then body bytes, held until the client's
// connection takes them through pull().

#include <cstddef>
#include <string>

#include "cgi/CgiHead.hpp"
#include "http/BodySource.hpp"

class CgiOutput {
public:
    static const size_t kMaxHeadBytes = 32 * 1024;

    enum Result {
        NEED_MORE,      // the header block is not complete yet
        HEAD_PARSED,    // head() is ready; what followed it is held as body
        TOO_BIG,        // no end of the header block within kMaxHeadBytes
        INVALID         // parseCgiHead() refused it
    };

    CgiOutput();

    // Bytes before the head is parsed.
    Result addHeadBytes(const char* data, size_t len);
    // Bytes after it: the body.
    void addBody(const char* data, size_t len) { body_.append(data, len); }

    const CgiHead& head() const { return head_; }
    // Bytes of an unfinished header block, or of body not taken yet.
    size_t headBytes() const { return headBuffer_.size(); }
    size_t bodyBytes() const { return body_.size(); }

    // The body held so far, framed by encoder into out while out has room.
    // ended: nothing more will be added.
    BodySource::Status pull(BodyEncoder& encoder, OutputQueue& out, bool ended);

private:
    std::string headBuffer_;
    std::string body_;
    CgiHead head_;
};

#endif

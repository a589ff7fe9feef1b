#ifndef WEBSERV_CGI_CGIEXCHANGE_HPP
#define WEBSERV_CGI_CGIEXCHANGE_HPP

// One request's conversation with a CGI script: starting it, feeding it
// the request body through its stdin, collecting its output from its
// stdout, and its cgi_timeout: the first Upstream (http/Upstream.hpp). Its
// stdin is the TO_UPSTREAM channel, its stdout FROM_UPSTREAM. Every pipe
// operation happens only when the owner reports poll() readiness for that
// pipe; the owner pulls the output as its client takes it, so a slow
// client throttles the script.
//
// A Content-Length body streams to the script as it arrives. A chunked
// body is spooled first (in memory, then in an unlinked temporary file) so
// that the script gets CONTENT_LENGTH; it starts when the body is complete.

#include <sys/types.h>
#include <memory>
#include <string>

#include "cgi/BodySpool.hpp"
#include "cgi/CgiOutput.hpp"
#include "cgi/CgiProcess.hpp"
#include "router/RequestContext.hpp"
#include "http/Request.hpp"
#include "http/Upstream.hpp"
#include "util/Fd.hpp"

class CgiExchange : public Upstream {
public:
    static const size_t kBufferLimit = 64 * 1024;
    static const long kTerminateGraceMs = 1000;

    // ctx is the exchange's, and outlives this object.
    CgiExchange(const RequestContext& ctx, long now);

    // Checks the script and starts it (or, for a chunked body, prepares the
    // spool). 0, or the status to answer: 404 no script, 403 not
    // executable, 502 interpreter missing, 500 the system refused.
    int start(BodyFraming framing, off_t contentLength);

    // The request body. Bytes fed after the script closed its stdin are
    // dropped: a script may answer without reading its input.
    bool acceptsBody() const;
    int onBodyData(const char* data, size_t len);
    int onBodyEnd();

    int fd(Channel channel) const;
    // FROM_UPSTREAM: POLLIN while there is room for output; the owner
    // pulls it away as fast as its client reads, so a slow client slows
    // the script down.
    short interest(Channel channel) const;
    void onReady(Channel channel, short revents);

    Phase phase() const { return phase_; }
    const UpstreamHead& head() const { return output_.head(); }
    int failureStatus() const { return failure_; }

    // The body output read so far, framed by encoder into out while out
    // has room.
    Status pull(BodyEncoder& encoder, OutputQueue& out);

    // Monotonic ms of the next timer: cgi_timeout, then the SIGTERM grace.
    long deadline() const { return deadline_; }
    void onTimeout(long now);

private:
    CgiExchange(const CgiExchange&);
    CgiExchange& operator=(const CgiExchange&);

    int spawn(off_t contentLength);
    bool refillFromSpool();
    void fail(int status);
    void logUpstreamError(const std::string& what) const;
    int stdinFd() const;
    int stdoutFd() const;
    void onStdinReady(short revents);
    void onStdoutReady();

    const RequestContext& ctx_;
    CgiProcess process_;
    Phase phase_;
    long deadline_;
    bool terminating_;         // SIGTERM sent, SIGKILL at deadline_
    int failure_;
    bool spooling_;            // chunked: the body is collected first
    BodySpool spool_;
    bool bodyEnded_;
    std::string stdinBuffer_;  // body bytes waiting for the pipe
    CgiOutput output_;
};

#endif

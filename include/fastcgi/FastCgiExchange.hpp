#ifndef WEBSERV_FASTCGI_FASTCGIEXCHANGE_HPP
#define WEBSERV_FASTCGI_FASTCGIEXCHANGE_HPP

// One request answered by a FastCGI responder (php-fpm): an Upstream
// (http/Upstream.hpp) over one socket, which is both of its channels:
// TO_UPSTREAM carries BEGIN_REQUEST, PARAMS (the CGI meta-variables and
// cgi_param lines) and STDIN, FROM_UPSTREAM brings back STDOUT (a CGI
// header block, then the body), STDERR (lines for the error log) and
// END_REQUEST. The connection (upstream/UpstreamConnection.hpp) is a kept one
// from the server's pool or a fresh one connected without blocking, and
// nothing is read or written on it without poll() readiness. Requests ask
// for FCGI_KEEP_CONN; after a complete END_REQUEST, with nothing of the
// request left unsent, the connection goes back to the pool. A kept
// connection found closed before any answer is retried once on a fresh one.
//
// A Content-Length body streams to STDIN as it arrives, held back while
// kBufferLimit bytes wait for the socket; a chunked one is spooled first
// (cgi/BodySpool.hpp), so that CONTENT_LENGTH is known. Output is read only
// while less than kBufferLimit waits for the client: a slow client slows
// the responder down instead of filling the server's memory.
//
// Failures, each with an error-log line in nginx's words: no connection
// (refused, no such socket) → 502 at once; the responder closes before
// END_REQUEST → 502 before the head, the response cut after it; an
// invalid or too big header block → 502; cgi_timeout → 504 before the
// head, cut after it. Destroying the exchange before the end closes the
// socket, which the responder takes as the request aborted.

#include <sys/types.h>
#include <string>

#include "cgi/BodySpool.hpp"
#include "cgi/CgiOutput.hpp"
#include "upstream/UpstreamConnection.hpp"
#include "fastcgi/FcgiRecords.hpp"
#include "http/Upstream.hpp"
#include "router/RequestContext.hpp"

class FastCgiExchange : public Upstream {
public:
    static const size_t kBufferLimit = 64 * 1024;
    static const unsigned kRequestId = 1;

    // ctx is the exchange's and pool the server's; both outlive this object.
    FastCgiExchange(const RequestContext& ctx, UpstreamPool& pool, long now);

    // Connects (or starts connecting) to the responder. 0, or 502 when it
    // cannot be reached at all.
    int start(BodyFraming framing, off_t contentLength);

    bool acceptsBody() const;
    int onBodyData(const char* data, size_t len);
    int onBodyEnd();

    // The socket, for both channels: TO_UPSTREAM polls POLLOUT while
    // connecting or while records wait to be written, FROM_UPSTREAM POLLIN
    // while there is room for output.
    int fd(Channel channel) const;
    short interest(Channel channel) const;
    void onReady(Channel channel, short revents);

    Phase phase() const { return phase_; }
    const UpstreamHead& head() const { return output_.head(); }
    int failureStatus() const { return failure_; }

    Status pull(BodyEncoder& encoder, OutputQueue& out);

    long deadline() const { return deadline_; }
    void onTimeout(long now);

private:
    FastCgiExchange(const FastCgiExchange&);
    FastCgiExchange& operator=(const FastCgiExchange&);

    bool connect();
    void queueRequest(off_t contentLength);
    void queueStdin(const char* data, size_t len);
    void finishStdin();
    void queueSpoolPiece();
    void onWritable();
    void onReadable();
    bool retried();
    void onSendFailed(int error);
    void onReceiveEnded(int error);
    void onRecord(const FcgiRecord& record);
    void onStdout(const std::string& data);
    void onEndRequest(const std::string& content);
    void logStderr(const std::string& text) const;
    void logUpstreamError(const std::string& what) const;
    void logUpstreamError(const std::string& what, const char* when) const;
    void logConnectFailure(int error) const;
    void fail(int status);

    const RequestContext& ctx_;
    UpstreamConnection connection_;
    Phase phase_;
    long deadline_;
    int failure_;
    bool spooling_;             // chunked: the body is collected first
    BodySpool spool_;
    bool stdinEnded_;           // the empty STDIN record is queued
    FcgiRecordParser parser_;
    CgiOutput output_;
};

#endif

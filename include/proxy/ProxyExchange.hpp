#ifndef WEBSERV_PROXY_PROXYEXCHANGE_HPP
#define WEBSERV_PROXY_PROXYEXCHANGE_HPP

// One request passed to a proxied HTTP server (proxy_pass): an Upstream
// (http/Upstream.hpp) over one socket, which is both of its channels.
// TO_UPSTREAM carries the request (http/ProxyRequest.hpp builds its head)
// and its body as the client sends it: a Content-Length body as it is, a
// chunked one chunked again as it is decoded. FROM_UPSTREAM brings the
// answer back (http/UpstreamReply.hpp reads it). The connection
// (upstream/UpstreamConnection.hpp) is a kept one from the server's proxy
// pool or a fresh one connected without blocking; nothing is read or
// written on it without poll() readiness. After a complete answer the
// upstream keeps open, with nothing of the request left unsent, the
// connection goes back to the pool. A kept connection found closed before
// any answer is retried once on a fresh one (when that is safe).
//
// Back-pressure both ways: the client's body is taken only while less than
// kBufferLimit waits for the upstream, the upstream's answer is read only
// while less than kBufferLimit waits for the client. So memory stays
// bounded and an event stream reaches the client as it is written.
//
// A 101 to a request that asked for an Upgrade makes a tunnel: from then on
// every byte either side sends goes to the other as it is, until one
// closes or nothing has moved either way for proxy_read_timeout.
//
// Timers, nginx's: proxy_connect_timeout for the connect,
// proxy_send_timeout between two writes while the request waits to be
// sent, proxy_read_timeout between two reads once it is sent. Failures,
// each with an error-log line naming the upstream: no connection → 502,
// a connect or read timeout before the head → 504, a malformed head → 502;
// after the head, a cut or broken body ends the client's connection
// (never a short body presented as complete).

#include <sys/types.h>
#include <string>

#include "http/Upstream.hpp"
#include "http/UpstreamReply.hpp"
#include "router/RequestContext.hpp"
#include "upstream/UpstreamConnection.hpp"

class ProxyExchange : public Upstream {
public:
    static const size_t kBufferLimit = 64 * 1024;

    // ctx is the exchange's and pool the server's; both outlive this object.
    ProxyExchange(const RequestContext& ctx, UpstreamPool& pool, long now);

    // Connects (or starts connecting) and queues the request head. 0, or
    // 502 when the upstream cannot be reached at all.
    int start(BodyFraming framing, off_t contentLength);

    bool acceptsBody() const;
    // The request body's decoded bytes; after a 101, the tunnel's.
    int onBodyData(const char* data, size_t len);
    int onBodyEnd();

    int fd(Channel channel) const;
    short interest(Channel channel) const;
    void onReady(Channel channel, short revents);

    Phase phase() const { return phase_; }
    const UpstreamHead& head() const { return reply_.head(); }
    int failureStatus() const { return failure_; }
    // After the head: a 101, the connection is a two-way tunnel now.
    bool tunnel() const { return reply_.tunnel(); }

    Status pull(BodyEncoder& encoder, OutputQueue& out);

    long deadline() const { return deadline_; }
    void onTimeout(long now);

private:
    ProxyExchange(const ProxyExchange&);
    ProxyExchange& operator=(const ProxyExchange&);

    void queueBody(const char* data, size_t len);
    void onWritable();
    void onReadable();
    void onReplyState(UpstreamReply::State state);
    bool retried();
    void onReceiveEnded(int error);
    void armTimer(long now);
    bool requestSent() const;
    const char* stage() const;
    std::string upstreamUrl() const;
    void logUpstreamError(const std::string& what) const;
    void logConnectFailure(int error) const;
    void end(bool reusable);
    void fail(int status);

    const RequestContext& ctx_;
    const LocationConfig& location_;
    UpstreamConnection connection_;
    std::string target_;            // the request line's, for the error log
    Phase phase_;
    long deadline_;
    int failure_;
    bool chunked_;                  // the request body goes upstream chunked
    bool requestEnded_;             // the whole request is queued
    UpstreamReply reply_;
    std::string output_;            // body bytes the client has not taken yet
};

#endif

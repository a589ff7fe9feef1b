#include "proxy/ProxyExchange.hpp"

#include <cerrno>
#include <poll.h>

#include "http/Grammar.hpp"
#include "http/ProxyRequest.hpp"
#include "http/Uri.hpp"
#include "router/RequestVariables.hpp"
#include "util/Log.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

namespace {

const size_t kReadChunk = 64 * 1024;

ProxyForwarding forwardingOf(const RequestContext& ctx)
{
    const LocationConfig& location = *ctx.route.location;
    const ProxyPass& pass = location.proxyPass;
    ProxyForwarding forwarding;
    // An absolute-form target goes on in origin form; its authority, which
    // routing went by, is the Host.
    RequestTarget received;
    std::string origin = ctx.request->target;
    if (splitRequestTarget(ctx.request->target, &received) && !received.authority.empty()) {
        origin = received.path + (received.hasQuery ? "?" + received.query : std::string());
        forwarding.host = received.authority;
    }
    forwarding.target = proxyTarget(origin, ctx.route.path, ctx.route.query, location.path,
        pass.hasUri, pass.uri);
    forwarding.fallbackHost = pass.host;
    forwarding.clientAddress = ctx.remoteAddress;
    forwarding.scheme = ctx.scheme;
    forwarding.tunnel = asksUpgrade(*ctx.request);
    RequestVariables variables(ctx);
    const std::vector<ProxyHeader>& headers = location.proxy.setHeaders;
    for (size_t i = 0; i < headers.size(); ++i)
        forwarding.setHeaders.push_back(std::make_pair(headers[i].name,
            headers[i].value.expand(variables)));
    return forwarding;
}

}

ProxyExchange::ProxyExchange(const RequestContext& ctx, UpstreamPool& pool, long now)
    : ctx_(ctx),
      location_(*ctx.route.location),
      connection_(pool, location_.proxyPass.upstream),
      phase_(RUNNING),
      deadline_(now + location_.proxy.connectTimeoutMs),
      failure_(0),
      chunked_(false),
      requestEnded_(false)
{
}

int ProxyExchange::start(BodyFraming framing, off_t)
{
    const Request& request = *ctx_.request;
    ProxyForwarding forwarding = forwardingOf(ctx_);
    target_ = forwarding.target;
    // A variable may hold what the client wrote, decoded ($uri: "%0d%0a"):
    // a line end in a field value would let it write its own request to
    // the upstream.
    for (size_t i = 0; i < forwarding.setHeaders.size(); ++i)
        if (containsCtl(forwarding.setHeaders[i].second)) {
            logRequestError(ctx_, "client sent a control character that proxy_set_header \""
                + forwarding.setHeaders[i].first + "\" would pass upstream", upstreamUrl());
            return 400;
        }
    chunked_ = framing == BODY_CHUNKED;
    requestEnded_ = framing == BODY_NONE;
    reply_.start(request.method == "HEAD", forwarding.tunnel);
    int error = 0;
    if (!connection_.open(&error)) {
        logConnectFailure(error);
        return 502;
    }
    connection_.queue(proxyRequestHead(request, forwarding));
    armTimer(monotonicMs());
    return 0;
}

// Once the upstream has answered (before the body was all sent: a 401, a
// 413), the rest of the body is the exchange's to drop, never to wait for.
bool ProxyExchange::acceptsBody() const
{
    if (phase_ == RUNNING || reply_.tunnel())
        return phase_ != ENDED && connection_.pending() < kBufferLimit;
    return phase_ != FAILED;
}

int ProxyExchange::onBodyData(const char* data, size_t len)
{
    if (phase_ == FAILED || phase_ == ENDED || len == 0)
        return 0;
    if (reply_.tunnel())
        connection_.queue(std::string(data, len));
    else if (phase_ == RUNNING && !requestEnded_)
        queueBody(data, len);
    armTimer(monotonicMs());    // proxy_send_timeout runs while bytes wait
    return 0;
}

// Chunked in, chunked out: the length is not known before the end.
void ProxyExchange::queueBody(const char* data, size_t len)
{
    if (!chunked_) {
        connection_.queue(std::string(data, len));
        return;
    }
    std::string chunk = toHex(len) + "\r\n";
    chunk.append(data, len);
    chunk += "\r\n";
    connection_.queue(chunk);
}

int ProxyExchange::onBodyEnd()
{
    if (!requestEnded_ && chunked_)
        connection_.queue("0\r\n\r\n");
    requestEnded_ = true;
    armTimer(monotonicMs());
    return 0;
}

int ProxyExchange::fd(Channel) const
{
    return phase_ == FAILED ? -1 : connection_.fd();
}

// Reading goes on while the request is sent: an upstream may answer (or
// close) before it has read it all.
short ProxyExchange::interest(Channel channel) const
{
    if (connection_.fd() < 0 || phase_ == FAILED || phase_ == ENDED)
        return 0;
    if (channel == TO_UPSTREAM)
        return connection_.connecting() || connection_.pending() > 0 ? POLLOUT : 0;
    return !connection_.connecting() && output_.size() < kBufferLimit ? POLLIN : 0;
}

void ProxyExchange::onReady(Channel channel, short)
{
    if (connection_.fd() < 0 || phase_ == FAILED || phase_ == ENDED)
        return;
    if (channel == TO_UPSTREAM)
        onWritable();
    else
        onReadable();
}

void ProxyExchange::onWritable()
{
    int error = 0;
    if (connection_.connecting()) {
        if (!connection_.finishConnect(&error)) {
            logConnectFailure(error);
            fail(502);
            return;
        }
        if (connection_.connecting())
            return;
    }
    if (!connection_.flush(&error) && !retried()) {
        // The upstream stopped reading: the rest of the request is dropped
        // and its answer (which may be on its way) is still read.
        connection_.abandonOutput();
        requestEnded_ = true;
    }
    armTimer(monotonicMs());
}

void ProxyExchange::onReadable()
{
    char buffer[kReadChunk];
    ssize_t n = connection_.receive(buffer, sizeof buffer);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        onReceiveEnded(n < 0 ? errno : 0);
        return;
    }
    onReplyState(reply_.feed(buffer, static_cast<size_t>(n), output_));
    armTimer(monotonicMs());
}

void ProxyExchange::onReplyState(UpstreamReply::State state)
{
    if (state == UpstreamReply::BROKEN) {
        logUpstreamError("upstream " + reply_.error());
        fail(502);
        return;
    }
    if (state != UpstreamReply::READING_HEAD && phase_ == RUNNING)
        phase_ = HEAD_READY;
    if (state == UpstreamReply::COMPLETE) {
        phase_ = ENDED;
        end(reply_.reusable() && requestSent());
    }
}

// A kept connection that fails before any answer was likely closed while
// it sat in the pool: the request goes again on a fresh one. true when it
// did (or when that failed and the request is over).
bool ProxyExchange::retried()
{
    int error = 0;
    if (connection_.retry(ctx_.request->idempotent(), &error)) {
        deadline_ = monotonicMs() + location_.proxy.connectTimeoutMs;
        return true;
    }
    if (error == 0)
        return false;
    logConnectFailure(error);
    fail(502);
    return true;
}

// The upstream's side ended (error 0: closed): the end of a body that runs
// until the close, or of a tunnel; before that, a failure.
void ProxyExchange::onReceiveEnded(int error)
{
    if (phase_ == RUNNING && retried())
        return;
    if (error != 0) {
        logUpstreamError("recv() failed " + errnoText(error));
        fail(502);
        return;
    }
    onReplyState(reply_.onClose());
}

BodySource::Status ProxyExchange::pull(BodyEncoder& encoder, OutputQueue& out)
{
    if (phase_ == FAILED)
        return BODY_BROKEN;
    Status status = pullFromBuffer(output_, encoder, out, phase_ == ENDED);
    // While the client holds the answer back, nothing is read from the
    // upstream: a slow client is send_timeout's business, not the
    // upstream's (a tunnel has no other timer: its runs on).
    bool clientHolds = !output_.empty() || out.pending() >= kOutputHighWater;
    if (clientHolds && !reply_.tunnel() && phase_ == HEAD_READY)
        deadline_ = 0;
    else
        armTimer(monotonicMs());
    return status;
}

// nginx's timers: connect, then send while request bytes wait, then read
// once the request is out or the answer has begun (a tunnel: either way).
void ProxyExchange::armTimer(long now)
{
    if (phase_ == FAILED || phase_ == ENDED)
        deadline_ = 0;
    else if (connection_.connecting())
        return;     // the connect's deadline stands
    else if (connection_.pending() > 0)
        deadline_ = now + location_.proxy.sendTimeoutMs;
    else if (requestEnded_ || phase_ != RUNNING)
        deadline_ = now + location_.proxy.readTimeoutMs;
    else
        deadline_ = 0;  // the client's body is on its way: its own timeout runs
}

void ProxyExchange::onTimeout(long now)
{
    if (deadline_ == 0 || now < deadline_ || phase_ == FAILED || phase_ == ENDED)
        return;
    logUpstreamError("upstream timed out " + errnoText(ETIMEDOUT));
    if (reply_.tunnel()) {
        phase_ = ENDED;     // an idle tunnel closes; nothing was lost
        end(false);
        return;
    }
    fail(504);
}

bool ProxyExchange::requestSent() const
{
    return requestEnded_ && connection_.pending() == 0 && !connection_.connecting();
}

const char* ProxyExchange::stage() const
{
    if (connection_.connecting())
        return "while connecting to upstream";
    if (reply_.tunnel())
        return "while proxying upgraded connection";
    if (phase_ == RUNNING)
        return requestSent() ? "while reading response header from upstream"
                             : "while sending request to upstream";
    return "while reading upstream";
}

// nginx's name for where the request went: "http://127.0.0.1:9000/path",
// made only when a line is logged.
std::string ProxyExchange::upstreamUrl() const
{
    const UpstreamAddress& upstream = location_.proxyPass.upstream;
    if (!upstream.unixPath.empty())
        return "http://unix:" + upstream.unixPath + ":" + target_;
    return "http://" + upstream.inet.toString() + target_;
}

void ProxyExchange::logUpstreamError(const std::string& what) const
{
    logRequestError(ctx_, what + " " + stage(), upstreamUrl());
}

void ProxyExchange::logConnectFailure(int error) const
{
    logRequestError(ctx_, "connect() failed " + errnoText(error) + " while connecting to upstream",
        upstreamUrl());
}

void ProxyExchange::end(bool reusable)
{
    deadline_ = 0;
    connection_.finish(reusable);
}

void ProxyExchange::fail(int status)
{
    phase_ = FAILED;
    failure_ = status;
    end(false);
}

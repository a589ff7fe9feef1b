// Requests an upstream answers (a CGI script, a FastCGI responder, a proxied server): starting
// it, turning its head into the response head, following a script's local redirects, and the
// tunnel a proxied 101 makes.

#include "exchange/Exchange.hpp"

#include "cgi/CgiExchange.hpp"
#include "fastcgi/FastCgiExchange.hpp"
#include "proxy/ProxyExchange.hpp"
#include "handlers/Dispatcher.hpp"
#include "handlers/ErrorPages.hpp"
#include "http/Uri.hpp"
#include "router/InternalRedirects.hpp"
#include "util/Strings.hpp"

Exchange::Next Exchange::startUpstream(bool hasBody, long now, OutputQueue& out)
{
    // A script gets SESSION_ID and SESSION_DATA before its answer is known,
    // so its session is made now; settleSession() drops it again if the
    // answer is an error and the script did not change it. A proxied
    // application keeps its own sessions.
    if (context_.route.action == ROUTE_PROXY) {
        upstream_.reset(new ProxyExchange(context_, *server_.proxy, now));
    } else {
        ensureSession(*server_.sessions, context_.session, now);
        if (context_.route.cgi->fastcgi)
            upstream_.reset(new FastCgiExchange(context_, *server_.fastcgi, now));
        else
            upstream_.reset(new CgiExchange(context_, now));
    }
    ++upstreamGeneration_;
    int status = upstream_->start(request_.framing, request_.contentLength);
    if (status != 0) {
        upstream_.reset();
        return answerWithoutBody(status, hasBody, out);
    }
    if (!hasBody) {
        phase_ = WAITING_UPSTREAM;
        return answerFromUpstream(out);
    }
    if (request_.expectation == EXPECT_CONTINUE)
        out.appendable() += "HTTP/1.1 100 Continue\r\n\r\n";
    phase_ = READING_BODY;
    return NEXT_READ_BODY;
}

// A proxied server may answer before it has the whole body (a 401, a
// 413): the answer goes out now, and the rest of the body is read and
// dropped after it. (A script's answer waits for its whole input.)
bool Exchange::answeredBeforeBody() const
{
    return phase_ == READING_BODY && context_.route.action == ROUTE_PROXY && upstream_.get()
        && (upstream_->phase() == Upstream::HEAD_READY || upstream_->phase() == Upstream::ENDED);
}

// Acts on what the upstream has come to: a head to answer with (its body
// streamed after it), a local redirect, or a failure.
Exchange::Next Exchange::answerFromUpstream(OutputQueue& out)
{
    Upstream::Phase phase = upstream_->phase();
    if (phase == Upstream::RUNNING)
        return NEXT_WAIT;
    if (phase == Upstream::FAILED) {
        int status = upstream_->failureStatus();
        upstream_.reset();
        respondError(context_, status, response_);
        return answer(KEEP_OPEN, out);
    }
    const UpstreamHead& head = upstream_->head();
    if (head.localRedirect) {
        std::string location = head.location;   // head dies with upstream_
        return followLocalRedirect(location, now_, out);
    }
    response_.reset(head.status);
    response_.head.reason = head.reason;     // a script's own phrase, as nginx passes it
    for (size_t i = 0; i < head.fields.size(); ++i)
        response_.head.headers.add(head.fields.at(i).first, head.fields.at(i).second);
    if (context_.route.action == ROUTE_CGI)
        applySessionFields(response_.head.headers, *server_.sessions, context_.session, now_);
    if (head.status == 101)
        return startTunnel(out);
    bool hasBody = statusAllowsBody(head.status);
    bool http10 = request_.versionMinor == 0;
    BodyEncoder::Framing framing = head.hasContentLength ? BodyEncoder::LENGTH
        : http10 ? BodyEncoder::UNTIL_CLOSE : BodyEncoder::CHUNKED;
    if (hasBody && framing == BodyEncoder::LENGTH)
        response_.head.headers.set("Content-Length", toString(static_cast<long>(head.contentLength)));
    else if (hasBody && framing == BodyEncoder::CHUNKED)
        response_.head.headers.set("Transfer-Encoding", "chunked");
    // Without a length an HTTP/1.0 response ends when the connection does;
    // a body still coming is dropped once the answer is out.
    bool bodyComing = !decoder_.done();
    Closing closing = bodyComing ? DISCARD_THEN_KEEP_OPEN : KEEP_OPEN;
    if (hasBody && framing == BodyEncoder::UNTIL_CLOSE)
        closing = bodyComing ? LINGER_AFTER : CLOSE_AFTER;
    queueHead(closing, out);
    bool streaming = hasBody && request_.method != "HEAD";
    body_.fromUpstream(streaming ? upstream_.get() : 0, framing, head.contentLength);
    if (!streaming)
        upstream_.reset();
    phase_ = STREAMING;
    return stream(out);
}

// A proxied server switched protocols: its 101 goes out, and from then on
// the connection carries bytes both ways, as they come (tunnel()).
Exchange::Next Exchange::startTunnel(OutputQueue& out)
{
    queueHead(CLOSE_AFTER, out);
    body_.fromUpstream(upstream_.get(), BodyEncoder::UNTIL_CLOSE, 0);
    phase_ = TUNNELLING;
    return stream(out);
}

Exchange::Next Exchange::tunnel(const char* data, size_t len, size_t* consumed, long now,
    OutputQueue& out)
{
    now_ = now;
    *consumed = 0;
    if (len > 0 && upstream_.get() && upstream_->acceptsBody()) {
        upstream_->onBodyData(data, len);
        *consumed = len;
    }
    return stream(out);
}

// A script answering with only "Location: /path" asks the server to serve
// /path instead, as a GET (RFC 3875 §6.2.2).
Exchange::Next Exchange::followLocalRedirect(const std::string& location, long now,
    OutputQueue& out)
{
    upstream_.reset();
    std::string::size_type question = location.find('?');
    std::string path;
    if (!normalizePath(location.substr(0, question), &path)) {
        logRequestError(context_, "cgi sent an invalid local redirect \"" + location + "\"");
        respondError(context_, 500, response_);
        return answer(KEEP_OPEN, out);
    }
    if (!takeInternalRedirect(context_, &internalRedirects_, path)) {
        respondError(context_, 500, response_);
        return answer(KEEP_OPEN, out);
    }
    request_.method = "GET";
    request_.framing = BODY_NONE;
    request_.headers.remove("Content-Length");
    request_.headers.remove("Content-Type");
    request_.headers.remove("Transfer-Encoding");
    RouteDecision route = context_.router->reroute(context_.route, "GET", path);
    route.hasQuery = question != std::string::npos;
    route.query = route.hasQuery ? location.substr(question + 1) : std::string();
    context_.route = route;
    ResolvedFile file = resolveRoute(context_, &internalRedirects_);
    if (context_.route.action == ROUTE_CGI)
        return startUpstream(false, now, out);
    respond(context_, file, response_);
    return answer(KEEP_OPEN, out);
}

int Exchange::upstreamFd(Upstream::Channel channel) const
{
    return upstream_.get() ? upstream_->fd(channel) : -1;
}

short Exchange::upstreamInterest(Upstream::Channel channel) const
{
    return upstream_.get() ? upstream_->interest(channel) : 0;
}

void Exchange::onUpstreamReady(Upstream::Channel channel, short revents)
{
    if (upstream_.get() && upstream_->fd(channel) >= 0)
        upstream_->onReady(channel, revents);
}

bool Exchange::streamsFromUpstream() const
{
    return phase_ == STREAMING && upstream_.get() && body_.comesFrom(upstream_.get());
}

long Exchange::deadline() const
{
    if (phase_ == DELAYED)
        return client_.delayedUntil();
    return upstream_.get() ? upstream_->deadline() : 0;
}

void Exchange::onTimeout(long now)
{
    now_ = now;
    // DELAYED: the next pump() finds the time has come.
    if (upstream_.get())
        upstream_->onTimeout(now);
}
